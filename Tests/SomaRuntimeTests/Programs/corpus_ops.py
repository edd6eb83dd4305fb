# Corpus: tensor ops and their gradients, against PyTorch.
import soma as torch

torch.manual_seed(0)
a = torch.randn(2, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
c = torch.tensor([[1.5], [-2.0]], requires_grad=True)

# arithmetic with broadcasting
y = (a + b) * c - a / (b.abs() + 1) + 2 ** b - a ** 2
print(y)
y.sum().backward()
print(a.grad)
print(b.grad)
print(c.grad)

# matmul and friends
m = torch.randn(3, 4, requires_grad=True)
v = torch.randn(4, requires_grad=True)
p = a @ m
q = m @ v
p.sum().backward()
(q * q).sum().backward()
print(p)
print(q)
print(m.grad)
print(v.grad)
bt = torch.randn(2, 3, 4)
print(torch.bmm(bt, torch.randn(2, 4, 2)).shape, torch.matmul(bt, torch.randn(4)).shape)

# unary functions and their gradients
x = torch.tensor([0.5, 1.0, 2.0, 3.0], requires_grad=True)
for name, f in [("exp", torch.exp), ("log", torch.log), ("sqrt", torch.sqrt), ("abs", torch.abs), ("sin", torch.sin),
                ("cos", torch.cos), ("tanh", torch.tanh), ("sigmoid", torch.sigmoid), ("relu", torch.relu)]:
    x.grad = None
    out = f(x - 1.0) if name in ("abs", "relu", "sin") else f(x)
    out.sum().backward()
    print(name, out, x.grad)
x.grad = None
out = x.clamp(min=0.8, max=2.5) + x.pow(3) + torch.pow(x, 0.5) + x.clamp(max=1.0)
out.sum().backward()
print("clamp/pow", out, x.grad)

# reductions with dim / keepdim
r = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4).requires_grad_()
print(r.sum(), r.sum(dim=1), r.sum(dim=(0, 2)), r.sum(1, keepdim=True).shape)
print(r.mean(dim=-1), r.mean(dim=0, keepdim=True))
print(r.max(), r.min(dim=2), r.max(dim=1, keepdim=True)[0].shape)
print(r.std(dim=1), r.var(), r.prod(dim=2)[0])
(r.sum(dim=1) * torch.tensor([1.0, 2.0, 3.0, 4.0])).mean().backward()
print(r.grad)
r.grad = None
r.max(dim=2)[0].sum().backward()
print(r.grad)

# softmax / log_softmax
s = torch.tensor([[1.0, 2.0, 3.0], [1.0, -1.0, 0.0]], requires_grad=True)
sm = torch.softmax(s, dim=1)
lsm = s.log_softmax(dim=0)
print(sm, lsm)
(sm[:, 0].sum() + lsm[1].sum()).backward()
print(s.grad)

# cat / stack / split / chunk
u = torch.arange(6.0).reshape(2, 3).requires_grad_()
w = torch.ones(2, 3, requires_grad=True)
print(torch.cat([u, w], dim=0), torch.cat((u, w), 1).shape)
st = torch.stack([u, w], dim=1)
print(st.shape, st)
print(u.split(2, dim=1), torch.arange(10).split([3, 7]))
print(u.chunk(3, dim=1), torch.arange(5).chunk(2))
(torch.cat([u, w * 2], dim=1) ** 2).sum().backward()
print(u.grad, w.grad)

# indexing: read
t = torch.arange(24).reshape(2, 3, 4)
print(t[1], t[0, 2], t[:, 1], t[..., 0], t[:, None, 0].shape, t[1, :, 1:3], t[:, ::2, -1])
print(t[t > 20], t[torch.tensor([1, 0])].shape, t[0, [0, 2]], t[0][torch.tensor([True, False, True])])
print(t[-1, -1, -1], t[..., None].shape, t[None].shape, t[0, 1:, ::3])

# indexing: write
z = torch.zeros(3, 4)
z[0] = 1
z[1, 2] = 5.0
z[:, 3] = torch.tensor([7.0, 8.0, 9.0])
z[2, :2] = -1
z[z > 6] = 0.5
z[torch.tensor([0, 2]), 1] = 3.0
z[..., 0] += 10
print(z)

# indexing gradients
g = torch.arange(6.0).reshape(2, 3).requires_grad_()
(g[0, 1:] * 2).sum().backward()
g[:, torch.tensor([0, 0])].sum().backward()
g[g > 3].sum().backward()
print(g.grad)

# views
base = torch.arange(12.0)
vw = base.view(3, 4)
vw[1, 1] = 100.0
print(base, vw.t(), vw.T.shape, vw.transpose(0, 1).contiguous().view(-1))
print(vw.unsqueeze(0).shape, vw.unsqueeze(-1).shape, vw.reshape(2, -1).shape, vw.flatten(), torch.zeros(1, 3, 1).squeeze().shape)
print(vw.permute(1, 0).shape, vw.view(2, 2, 3).squeeze(0).shape, vw[:, 1].expand(2, 3), torch.zeros(2, 1, 3).squeeze(1).shape)
e = torch.randn(4, 1, requires_grad=True)
(e.expand(4, 3) * torch.arange(3.0)).sum().backward()
print(e.grad)

# in-place ops under no_grad
wt = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
(wt * wt).sum().backward()
with torch.no_grad():
    wt -= 0.1 * wt.grad
    wt.mul_(2)
    wt.add_(torch.ones(3), alpha=0.5)
    wt.clamp_(max=5.0)
print(wt, wt.requires_grad, wt.grad)
wt.grad.zero_()
print(wt.grad)

# where / maximum / minimum / argmax / one_hot
aa = torch.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]], requires_grad=True)
bb = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
wh = torch.where(aa > 0, aa, bb * 2)
mx = torch.maximum(aa, bb)
mn = torch.minimum(aa, bb)
print(wh, mx, mn)
(wh.sum() + mx.sum() * 2 + mn.sum() * 3).backward()
print(aa.grad, bb.grad)
print(aa.argmax(), aa.argmax(dim=1), torch.argmax(aa, dim=0, keepdim=True), aa.argmin(1))
import soma.nn.functional as F
print(F.one_hot(torch.tensor([0, 2, 1, 2])), F.one_hot(torch.tensor([1, 0]), num_classes=4))

# dtype promotion
i = torch.tensor([1, 2, 3])
f = torch.tensor([0.5, 0.5, 0.5])
d = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
bo = torch.tensor([True, False, True])
print((i + f).dtype, (i * 2).dtype, (i * 2.5).dtype, (i / 2).dtype, (f + d).dtype, (i + d).dtype, (bo + i).dtype, (bo * 1.5).dtype)
print(i / 2, i // 2, i % 2, -i, (i > 1).dtype, (i == f * 2).tolist(), i.float().dtype, f.long(), d.sum().dtype, i.sum().dtype, i.float().mean())
print(torch.tensor(3).dtype, torch.tensor(2.5).dtype, torch.tensor([1, 2.0]).dtype, torch.tensor([True]).dtype, (i + 1.0).dtype, (d * f).dtype)

# named results and module-level split / chunk
mm = torch.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
res = torch.max(mm, 1)
print(res.values, res.indices, mm.min(dim=0).indices, res[0], len(res))
vals, idxs = mm.max(dim=1, keepdim=True)
print(vals, idxs)
print(torch.split(mm, 2, dim=1), torch.chunk(mm, 2, dim=0), torch.split(torch.arange(5), [1, 4]))
