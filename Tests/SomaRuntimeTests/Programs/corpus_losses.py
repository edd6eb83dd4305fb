# Corpus: every loss with its reductions, values and gradients, against PyTorch.
import soma as torch
import soma.nn as nn
import soma.nn.functional as F

torch.manual_seed(2)


def check(name, loss, x, target):
    x = x.clone().requires_grad_()
    out = loss(x, target)
    (out * 1.0 if out.dim() == 0 else out * torch.linspace(0.5, 1.5, out.numel()).reshape(out.shape)).sum().backward()
    print(name, out)
    print(x.grad)


pred = torch.randn(4, 3)
real = torch.randn(4, 3)
for r in ["mean", "sum", "none"]:
    check("MSELoss " + r, nn.MSELoss(reduction=r), pred, real)
    check("L1Loss " + r, nn.L1Loss(reduction=r), pred, real)
print(F.mse_loss(pred, real), F.l1_loss(pred, real, reduction="sum"))

prob = torch.sigmoid(torch.randn(4, 3))
label = (torch.rand(4, 3) > 0.5).float()
logits = torch.randn(4, 3) * 2
for r in ["mean", "sum", "none"]:
    check("BCELoss " + r, nn.BCELoss(reduction=r), prob, label)
    check("BCEWithLogitsLoss " + r, nn.BCEWithLogitsLoss(reduction=r), logits, label)
check("BCELoss weight", nn.BCELoss(weight=torch.tensor([1.0, 2.0, 0.5])), prob, label)
check("BCEWithLogitsLoss pos_weight", nn.BCEWithLogitsLoss(pos_weight=torch.tensor([3.0, 1.0, 0.5])), logits, label)
print(F.binary_cross_entropy(prob, label), F.binary_cross_entropy_with_logits(logits, label, reduction="sum"))

scores = torch.randn(5, 4)
classes = torch.tensor([0, 3, 1, 1, 2])
soft = torch.softmax(torch.randn(5, 4), dim=1)
w = torch.tensor([1.0, 2.0, 0.5, 1.5])
for r in ["mean", "sum", "none"]:
    check("CrossEntropyLoss " + r, nn.CrossEntropyLoss(reduction=r), scores, classes)
    check("CrossEntropyLoss probs " + r, nn.CrossEntropyLoss(reduction=r), scores, soft)
    check("CrossEntropyLoss weight " + r, nn.CrossEntropyLoss(weight=w, reduction=r), scores, classes)
    check("NLLLoss " + r, nn.NLLLoss(reduction=r), torch.log_softmax(scores, dim=1), classes)
    check("NLLLoss weight " + r, nn.NLLLoss(weight=w, reduction=r), torch.log_softmax(scores, dim=1), classes)
check("CrossEntropyLoss smoothing", nn.CrossEntropyLoss(label_smoothing=0.1), scores, classes)
check("CrossEntropyLoss smoothing weight", nn.CrossEntropyLoss(weight=w, label_smoothing=0.2), scores, classes)
check("CrossEntropyLoss probs smoothing", nn.CrossEntropyLoss(label_smoothing=0.3), scores, soft)
check("CrossEntropyLoss probs weight", nn.CrossEntropyLoss(weight=w), scores, soft)
check("CrossEntropyLoss ignore_index", nn.CrossEntropyLoss(ignore_index=1), scores, classes)
check("NLLLoss ignore_index", nn.NLLLoss(ignore_index=3), torch.log_softmax(scores, dim=1), classes)
print(F.cross_entropy(scores, classes), F.nll_loss(F.log_softmax(scores, dim=1), classes, reduction="sum"))
print(F.cross_entropy(scores, classes, label_smoothing=0.1, reduction="none"))
