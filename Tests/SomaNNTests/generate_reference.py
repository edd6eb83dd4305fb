#!/usr/bin/env python3
"""Records PyTorch's numbers for SomaNN's layer, loss, optimizer and schedule tests (run once; output committed).

    pip install torch==2.13.0+cpu && python3 Tests/SomaNNTests/generate_reference.py

Writes Data/nn_layers.json, Data/nn_losses.json, Data/nn_optim.json, Data/nn_sched.json, Data/nn_repr.json.
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def flat(t):
    return [float(v) if t.dtype.is_floating_point else int(v) for v in t.detach().reshape(-1).tolist()]


def spec(t):
    return {"shape": list(t.shape), "values": flat(t), "dtype": str(t.dtype).replace("torch.", "")}


def layer_case(seed, make, x, train=True):
    """A layer built after manual_seed(seed): its initial state, forward output and gradients."""
    torch.manual_seed(seed)
    layer = make()
    layer.train(train)
    initial = {k: spec(v) for k, v in layer.state_dict().items()}
    x = x.clone().requires_grad_(x.dtype.is_floating_point)
    out = layer(x)
    upstream = torch.randn(out.shape)
    out.backward(upstream)
    return {
        "seed": seed, "initial": initial, "input": spec(x), "output": spec(out), "upstream": flat(upstream),
        "input_grad": flat(x.grad) if x.grad is not None else None,
        "param_grads": {k: flat(p.grad) for k, p in layer.named_parameters()},
        "final": {k: spec(v) for k, v in layer.state_dict().items()},
    }


def layers():
    g = torch.Generator().manual_seed(5)
    r = lambda *s: torch.randn(*s, generator=g)
    return {
        "linear": layer_case(1, lambda: nn.Linear(4, 3), r(5, 4)),
        "linear_nobias_3d": layer_case(2, lambda: nn.Linear(4, 3, bias=False), r(2, 5, 4)),
        "conv2d": layer_case(3, lambda: nn.Conv2d(2, 3, 3, padding=1), r(2, 2, 5, 5)),
        "conv2d_strided": layer_case(4, lambda: nn.Conv2d(1, 2, (2, 3), stride=2, dilation=(1, 2)), r(2, 1, 7, 8)),
        "maxpool2d": layer_case(5, lambda: nn.MaxPool2d(2), r(2, 3, 4, 6)),
        "maxpool2d_padded": layer_case(6, lambda: nn.MaxPool2d(3, stride=2, padding=1), r(1, 2, 7, 7)),
        "batchnorm1d_train": layer_case(7, lambda: nn.BatchNorm1d(3), r(6, 3)),
        "batchnorm1d_eval": layer_case(8, lambda: nn.BatchNorm1d(3), r(6, 3), train=False),
        "batchnorm2d_train": layer_case(9, lambda: nn.BatchNorm2d(2), r(3, 2, 4, 4)),
        "embedding": layer_case(10, lambda: nn.Embedding(10, 4), torch.tensor([[1, 3, 3], [9, 0, 2]])),
        "embedding_padding": layer_case(11, lambda: nn.Embedding(5, 3, padding_idx=0), torch.tensor([0, 2, 0, 4])),
        "relu": layer_case(12, nn.ReLU, r(3, 4)),
        "leaky_relu": layer_case(13, lambda: nn.LeakyReLU(0.2), r(3, 4)),
        "sigmoid": layer_case(14, nn.Sigmoid, r(3, 4)),
        "tanh": layer_case(15, nn.Tanh, r(3, 4)),
        "gelu": layer_case(16, nn.GELU, r(3, 4)),
        "softmax": layer_case(17, lambda: nn.Softmax(dim=1), r(3, 4)),
        "log_softmax": layer_case(18, lambda: nn.LogSoftmax(dim=1), r(3, 4)),
        "flatten": layer_case(19, nn.Flatten, r(2, 3, 2, 2)),
        "sequential": layer_case(20, lambda: nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2), nn.Sigmoid()), r(4, 3)),
    }


def losses():
    g = torch.Generator().manual_seed(6)
    r = lambda *s: torch.randn(*s, generator=g)
    probs = lambda *s: torch.rand(*s, generator=g) * 0.9 + 0.05
    labels = lambda high, *s: torch.randint(0, high, s, generator=g)
    soft = torch.softmax(r(4, 5), dim=1)
    w5 = torch.rand(5, generator=g) + 0.5
    cases = {
        "mse_mean": (nn.MSELoss(), r(4, 3), r(4, 3)),
        "mse_sum": (nn.MSELoss(reduction="sum"), r(4, 3), r(4, 3)),
        "mse_none": (nn.MSELoss(reduction="none"), r(4, 3), r(4, 3)),
        "l1_mean": (nn.L1Loss(), r(4, 3), r(4, 3)),
        "bce_mean": (nn.BCELoss(), probs(6, 1), (torch.rand(6, 1, generator=g) > 0.5).float()),
        "bce_weighted_sum": (nn.BCELoss(weight=torch.rand(6, 1, generator=g), reduction="sum"), probs(6, 1), torch.rand(6, 1, generator=g)),
        "bce_logits": (nn.BCEWithLogitsLoss(), r(5, 2) * 4, (torch.rand(5, 2, generator=g) > 0.5).float()),
        "bce_logits_pos_weight": (nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0, 0.5])), r(5, 2) * 4, (torch.rand(5, 2, generator=g) > 0.5).float()),
        "ce_indices": (nn.CrossEntropyLoss(), r(4, 5), labels(5, 4)),
        "ce_indices_sum": (nn.CrossEntropyLoss(reduction="sum"), r(4, 5), labels(5, 4)),
        "ce_indices_none": (nn.CrossEntropyLoss(reduction="none"), r(4, 5), labels(5, 4)),
        "ce_weight": (nn.CrossEntropyLoss(weight=w5), r(4, 5), labels(5, 4)),
        "ce_smoothing": (nn.CrossEntropyLoss(label_smoothing=0.1), r(4, 5), labels(5, 4)),
        "ce_weight_smoothing": (nn.CrossEntropyLoss(weight=w5, label_smoothing=0.2), r(4, 5), labels(5, 4)),
        "ce_ignore_index": (nn.CrossEntropyLoss(ignore_index=2), r(6, 5), torch.tensor([2, 0, 2, 4, 1, 3])),
        "ce_probabilities": (nn.CrossEntropyLoss(), r(4, 5), soft),
        "ce_probabilities_smoothing_weight": (nn.CrossEntropyLoss(weight=w5, label_smoothing=0.1), r(4, 5), soft),
        "ce_spatial": (nn.CrossEntropyLoss(), r(2, 3, 2, 2), labels(3, 2, 2, 2)),
        "ce_single": (nn.CrossEntropyLoss(), r(5), torch.tensor(3)),
        "nll": (nn.NLLLoss(), torch.log_softmax(r(4, 5), 1), labels(5, 4)),
        "nll_weight": (nn.NLLLoss(weight=w5), torch.log_softmax(r(4, 5), 1), labels(5, 4)),
    }
    out = {}
    for name, (loss, x, y) in cases.items():
        x = x.clone().requires_grad_(True)
        value = loss(x, y)
        upstream = torch.randn(value.shape, generator=g) if value.dim() > 0 else torch.tensor(1.0)
        value.backward(upstream)
        out[name] = {"input": spec(x), "target": spec(y), "output": spec(value), "upstream": flat(upstream), "input_grad": flat(x.grad),
                     "weight": flat(loss.weight) if getattr(loss, "weight", None) is not None else None,
                     "pos_weight": flat(loss.pos_weight) if getattr(loss, "pos_weight", None) is not None else None}
    return out


OPTIMIZERS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
    "sgd_nesterov_wd": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    "sgd_dampening": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, dampening=0.3),
    "adam": lambda p: torch.optim.Adam(p, lr=0.01),
    "adam_amsgrad_wd": lambda p: torch.optim.Adam(p, lr=0.02, amsgrad=True, weight_decay=0.1),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.01),
    "rmsprop": lambda p: torch.optim.RMSprop(p),
    "rmsprop_momentum_centered": lambda p: torch.optim.RMSprop(p, lr=0.005, momentum=0.9, centered=True, weight_decay=0.01),
    "adagrad": lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1),
}


def optim():
    g = torch.Generator().manual_seed(7)
    x, y = torch.randn(8, 3, generator=g), torch.randn(8, 2, generator=g)
    w0, b0 = torch.randn(2, 3, generator=g), torch.randn(2, generator=g)
    out = {"x": flat(x), "y": flat(y), "weight": flat(w0), "bias": flat(b0), "runs": {}}
    for name, make in OPTIMIZERS.items():
        w, b = w0.clone().requires_grad_(), b0.clone().requires_grad_()
        opt = make([w, b])
        steps = []
        for _ in range(5):
            opt.zero_grad()
            loss = F.mse_loss(F.linear(x, w, b), y)
            loss.backward()
            opt.step()
            steps.append({"loss": loss.item(), "weight": flat(w), "bias": flat(b)})
        out["runs"][name] = steps
    return out


def sched():
    def run(make, epochs=12, metrics=None):
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=0.1)
        s = make(opt)
        lrs = [s.get_last_lr()[0]]
        for e in range(epochs):
            opt.step()
            s.step(metrics[e]) if metrics else s.step()
            lrs.append(opt.param_groups[0]["lr"])
        return lrs

    plateau_metrics = [1.0, 0.9, 0.95, 0.93, 0.92, 0.91, 0.9, 0.9, 0.5, 0.6, 0.6, 0.6]
    return {
        "step": run(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
        "multistep": run(lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones=[2, 5, 5], gamma=0.1)),
        "exponential": run(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)),
        "cosine": run(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=5, eta_min=0.001)),
        "lambda": run(lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda e: 0.95 ** e)),
        "plateau": run(lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, patience=2, factor=0.5), metrics=plateau_metrics),
        "plateau_metrics": plateau_metrics,
    }


def reprs():
    return {
        "sequential": str(nn.Sequential(nn.Linear(2, 10, bias=True), nn.Sigmoid(), nn.Linear(10, 1, bias=False), nn.ReLU(), nn.Dropout(0.2),
                                        nn.Flatten(), nn.LeakyReLU(), nn.Softmax(dim=1), nn.GELU(), nn.Identity(), nn.Tanh(), nn.LogSoftmax(dim=-1))),
        "cnn": str(nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.BatchNorm2d(6), nn.MaxPool2d(2), nn.Conv2d(6, 16, (3, 3), stride=2, bias=False),
                                 nn.BatchNorm1d(16, eps=1e-3, momentum=None), nn.Embedding(10, 3), nn.Embedding(5, 2, padding_idx=0))),
        "modulelist": str(nn.ModuleList([nn.Linear(3, 3), nn.Linear(3, 3), nn.Linear(3, 3), nn.ReLU()])),
        "nested": str(nn.Sequential(nn.Sequential(nn.Linear(1, 2)), nn.ReLU())),
    }


def main():
    for name, data in (("layers", layers()), ("losses", losses()), ("optim", optim()), ("sched", sched()), ("repr", reprs())):
        with open(os.path.join(HERE, "Data", f"nn_{name}.json"), "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
