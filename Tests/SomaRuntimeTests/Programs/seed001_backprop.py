# shared/seeds/001_* section 5.3: the 2-2-2 network worked by hand, one SGD step with learning rate 0.5.
import soma as torch

x = torch.tensor([0.1, 0.2], dtype=torch.float64)
target = torch.tensor([0.4, 0.6], dtype=torch.float64)
W_hidden = torch.tensor([[0.3, 0.25], [0.4, 0.35]], dtype=torch.float64, requires_grad=True)
W_output = torch.tensor([[0.45, 0.4], [0.7, 0.6]], dtype=torch.float64, requires_grad=True)
z = W_hidden @ x
h = torch.sigmoid(z)
o = torch.sigmoid(W_output @ h)
E = (0.5 * (target - o) ** 2).sum()
print(f"z={z.tolist()} h={h.tolist()}")
print(f"o1={o[0].item():.8f} o2={o[1].item():.8f} E_total={E.item():.8f}")
E.backward()
print(W_output.grad)
with torch.no_grad():
    W_output -= 0.5 * W_output.grad
    W_hidden -= 0.5 * W_hidden.grad
print("W5..W8", [round(v, 8) for v in W_output.flatten().tolist()])
print("W1..W4", [round(v, 8) for v in W_hidden.flatten().tolist()])
