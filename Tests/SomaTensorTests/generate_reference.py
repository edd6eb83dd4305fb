#!/usr/bin/env python3
"""Records PyTorch's numbers for SomaTensor's tests (run once; the JSON output is committed).

    pip install torch==2.13.0+cpu && python3 Tests/SomaTensorTests/generate_reference.py

Writes Data/ops.json (forward values and input gradients of every differentiable op for a fixed
upstream gradient), Data/format.json (print(t) texts), Data/errors.json (error messages) and
Data/random.json (what manual_seed + rand/randn/randint/randperm produce).
"""
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(1234)


def number(v, dtype):
    if dtype == torch.bool:
        return bool(v)
    if not dtype.is_floating_point:
        return int(v)
    v = float(v)
    return v if v == v and abs(v) != float("inf") else str(v)  # JSON has no NaN/inf: "nan", "inf", "-inf"


def flat(t):
    return [number(v, t.dtype) for v in t.detach().reshape(-1).tolist()]


def spec(t):
    return {"shape": list(t.shape), "values": flat(t), "dtype": str(t.dtype).replace("torch.", ""),
            "requires_grad": t.requires_grad}


def randn(*shape, grad=True):
    return torch.randn(*shape, dtype=torch.float32).requires_grad_(grad)


def positive(*shape):
    return (torch.rand(*shape) + 0.5).requires_grad_(True)


def distinct(*shape):
    """Values without ties, so max/min gradients are unambiguous."""
    n = 1
    for s in shape:
        n *= s
    return (torch.randperm(n).float() / n - 0.5 + 0.01 * torch.randn(n)).reshape(*shape).requires_grad_(True)


def mask(*shape):
    return torch.rand(*shape) > 0.5


def idx(high, *shape):
    return torch.randint(0, high, shape)


# name -> (inputs, function); the Swift tests name the same cases and apply Soma's op.
CASES = {
    "add_broadcast": ([randn(3, 4), randn(4)], lambda a, b: a + b),
    "add_scalar": ([randn(2, 3)], lambda a: a + 2.5),
    "add_alpha": ([randn(2, 3), randn(2, 3)], lambda a, b: torch.add(a, b, alpha=-0.5)),
    "sub_broadcast": ([randn(2, 1, 3), randn(4, 1)], lambda a, b: a - b),
    "rsub_scalar": ([randn(5)], lambda a: 1 - a),
    "mul_broadcast": ([randn(2, 1, 3), randn(4, 1)], lambda a, b: a * b),
    "div": ([randn(3, 4), positive(3, 4)], lambda a, b: a / b),
    "rdiv_scalar": ([positive(4)], lambda a: 2 / a),
    "pow_tensor": ([positive(3, 2), randn(3, 2)], lambda a, b: a ** b),
    "pow_scalar3": ([randn(4, 2)], lambda a: a ** 3),
    "pow_square": ([randn(6)], lambda a: a ** 2),
    "pow_half": ([positive(5)], lambda a: a ** 0.5),
    "neg": ([randn(2, 3)], lambda a: -a),
    "exp": ([randn(3, 3)], torch.exp),
    "log": ([positive(3, 3)], torch.log),
    "sqrt": ([positive(7)], torch.sqrt),
    "abs": ([randn(3, 3)], torch.abs),
    "sin": ([randn(4)], torch.sin),
    "cos": ([randn(4)], torch.cos),
    "tanh": ([randn(3, 4)], torch.tanh),
    "sigmoid": ([randn(3, 4)], torch.sigmoid),
    "relu": ([randn(3, 4)], torch.relu),
    "leaky_relu": ([randn(3, 4)], lambda a: torch.nn.functional.leaky_relu(a, 0.1)),
    "gelu": ([randn(3, 4)], torch.nn.functional.gelu),
    "clamp": ([randn(3, 4)], lambda a: torch.clamp(a, -0.5, 0.5)),
    "clamp_min": ([randn(3, 4)], lambda a: a.clamp(min=0.1)),
    "maximum": ([distinct(3, 4), distinct(4)], torch.maximum),
    "minimum": ([distinct(3, 4), distinct(4)], torch.minimum),
    "where": ([mask(3, 4), randn(3, 4), randn(4)], torch.where),
    "mm": ([randn(3, 5), randn(5, 2)], torch.mm),
    "matmul_transposed": ([randn(5, 3), randn(2, 5)], lambda a, b: a.t() @ b.t()),
    "matmul_dot": ([randn(5), randn(5)], torch.matmul),
    "matmul_mv": ([randn(3, 5), randn(5)], torch.matmul),
    "matmul_vm": ([randn(5), randn(5, 2)], torch.matmul),
    "matmul_batched": ([randn(2, 3, 4), randn(2, 4, 5)], torch.matmul),
    "matmul_broadcast": ([randn(2, 3, 4), randn(4, 5)], torch.matmul),
    "matmul_batch_broadcast": ([randn(2, 1, 3, 4), randn(3, 4, 2)], torch.matmul),
    "sum_all": ([randn(3, 4)], torch.sum),
    "sum_dim": ([randn(3, 4, 2)], lambda a: a.sum(dim=1)),
    "sum_dims_keepdim": ([randn(3, 4, 2)], lambda a: a.sum(dim=(0, 2), keepdim=True)),
    "mean_all": ([randn(3, 4)], torch.mean),
    "mean_dim": ([randn(3, 4)], lambda a: a.mean(dim=0)),
    "mean_neg_dim_keepdim": ([randn(3, 4)], lambda a: a.mean(-1, keepdim=True)),
    "max_all": ([distinct(3, 4)], torch.max),
    "min_all": ([distinct(3, 4)], torch.min),
    "max_dim": ([distinct(3, 4)], lambda a: torch.max(a, 1)[0]),
    "min_dim_keepdim": ([distinct(3, 4)], lambda a: a.min(dim=0, keepdim=True)[0]),
    "prod_all": ([randn(2, 3)], torch.prod),
    "prod_dim": ([randn(2, 3)], lambda a: a.prod(1)),
    "var_all": ([randn(3, 4)], torch.var),
    "var_dim_biased": ([randn(3, 4)], lambda a: a.var(dim=1, unbiased=False)),
    "std_all": ([randn(3, 4)], torch.std),
    "std_dim": ([randn(3, 4)], lambda a: a.std(dim=0)),
    "softmax_dim1": ([randn(3, 5)], lambda a: torch.softmax(a, dim=1)),
    "softmax_dim0": ([randn(3, 5)], lambda a: torch.softmax(a, dim=0)),
    "log_softmax_dim1": ([randn(3, 5)], lambda a: torch.log_softmax(a, dim=1)),
    "log_softmax_3d": ([randn(2, 3, 4)], lambda a: torch.log_softmax(a, dim=1)),
    "cat_dim0": ([randn(2, 3), randn(1, 3)], lambda a, b: torch.cat([a, b], 0)),
    "cat_dim1": ([randn(2, 3), randn(2, 2)], lambda a, b: torch.cat([a, b], dim=1)),
    "stack": ([randn(2, 3), randn(2, 3)], lambda a, b: torch.stack([a, b], dim=1)),
    "split_piece": ([randn(5, 2)], lambda a: torch.split(a, 2)[2]),
    "chunk_piece": ([randn(2, 7)], lambda a: torch.chunk(a, 3, dim=1)[1]),
    "reshape": ([randn(2, 6)], lambda a: a.reshape(3, -1)),
    "view": ([randn(2, 6)], lambda a: a.view(4, 3)),
    "transpose_reshape": ([randn(2, 3, 4)], lambda a: a.transpose(0, 2).reshape(-1)),
    "permute": ([randn(2, 3, 4)], lambda a: a.permute(2, 0, 1)),
    "unsqueeze_squeeze": ([randn(3, 1, 2)], lambda a: a.squeeze().unsqueeze(0) * torch.arange(6.).reshape(1, 3, 2)),
    "expand": ([randn(3, 1)], lambda a: a.expand(2, 3, 4) * torch.arange(24.).reshape(2, 3, 4)),
    "flatten": ([randn(2, 3, 4)], lambda a: torch.flatten(a, 1)),
    "index_int": ([randn(3, 4)], lambda a: a[1]),
    "index_slices": ([randn(4, 5)], lambda a: a[1:, ::2]),
    "index_negative_step_free": ([randn(6)], lambda a: a[-4:-1]),
    "index_none_ellipsis": ([randn(2, 3, 4)], lambda a: a[None, ..., 1]),
    "index_mask": ([randn(3, 4), mask(3, 4)], lambda a, m: a[m]),
    "index_tensor": ([randn(5, 3), idx(5, 4)], lambda a, i: a[i]),
    "index_tensor_dim1": ([randn(3, 5), idx(5, 2, 2)], lambda a, i: a[:, i]),
    "index_two_tensors": ([randn(4, 5), idx(4, 3), idx(5, 3)], lambda a, i, j: a[i, j]),
    "index_split_tensors": ([randn(3, 4, 5), idx(3, 2), idx(5, 2)], lambda a, i, j: a[i, :, j]),
    "gather": ([randn(3, 4), idx(4, 3, 2)], lambda a, i: torch.gather(a, 1, i)),
    "addmm_transposed": ([randn(3), randn(4, 5), randn(3, 5)], lambda b, x, w: torch.addmm(b, x, w.t())),
    "addmm_matrix_bias": ([randn(4, 1), randn(4, 5), randn(5, 2)], torch.addmm),
    "mse_composite": ([randn(4, 3), randn(4, 3)], lambda a, b: ((a - b) ** 2).mean()),
    "linear_composite": ([randn(4, 3), randn(2, 3), randn(2)], lambda x, w, b: torch.sigmoid(x @ w.t() + b)),
}


def record_ops():
    out = {}
    for name, (inputs, fn) in CASES.items():
        for t in inputs:
            if t.dtype.is_floating_point and t.grad is not None:
                t.grad = None
        result = fn(*inputs)
        upstream = torch.randn(result.shape) if result.dim() > 0 else torch.tensor(1.7)
        result.backward(upstream)
        out[name] = {
            "inputs": [spec(t) for t in inputs],
            "output": spec(result),
            "upstream": flat(upstream),
            "grads": [flat(t.grad) if t.dtype.is_floating_point and t.requires_grad else None for t in inputs],
        }
    return out


def record_format():
    samples = {
        "float_matrix": torch.tensor([[0.1, 0.2], [3.0, -4.5]]),
        "int_valued_floats": torch.tensor([1.0, 2.0, -3.0]),
        "requires_grad": torch.tensor([[0.1, 0.2]], requires_grad=True),
        "sci_small": torch.tensor([1e-5, 1.0, 2.5]),
        "sci_large": torch.tensor([1e9, 2.0]),
        "ints": torch.tensor([1, -20, 300]),
        "bools": torch.tensor([True, False, True]),
        "scalar": torch.tensor(3.14159),
        "scalar_int": torch.tensor(7),
        "double": torch.tensor([1.5, 2.25], dtype=torch.float64),
        "empty": torch.zeros(0),
        "empty_2d": torch.zeros(2, 0),
        "empty_int": torch.zeros(0, dtype=torch.int64),
        "three_d": torch.arange(24.).reshape(2, 3, 4) / 7,
        "long_row": torch.arange(30.) * 1.5,
        "summarized": torch.arange(2000.).reshape(40, 50),
        "summarized_1d": torch.arange(1500),
        "nan_inf": torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5]),
        "zeros": torch.zeros(2, 2),
        "negative_zero_mix": torch.tensor([-0.5, 0.0, 0.25]),
        "big_ints_float": torch.tensor([123456.0, 1.0]),
        "grad_fn_scalar": (torch.tensor([1.0, 2.0], requires_grad=True) * 2).sum(),
        "grad_fn_vector": torch.tensor([1.0, 2.0], requires_grad=True) + 1,
        "column": torch.tensor([[0.5], [1.5], [2.5]]),
    }
    return {k: {"text": str(v), "spec": spec(v.detach()), "requires_grad": v.requires_grad}
            for k, v in samples.items()}


def record_random():
    torch.manual_seed(42)
    rand = torch.rand(5)
    randn_small = torch.randn(5)
    randn_large = torch.randn(37)
    randint = torch.randint(0, 10, (8,))
    randperm = torch.randperm(10)
    rand_double = torch.rand(3, dtype=torch.float64)
    torch.manual_seed(777)
    linear = torch.nn.Linear(3, 2)
    return {
        "seed42": {"rand": flat(rand), "randn_small": flat(randn_small), "randn_large": flat(randn_large),
                   "randint": flat(randint), "randperm": flat(randperm), "rand_double": flat(rand_double)},
        "linear_seed777": {"weight": flat(linear.weight), "bias": flat(linear.bias)},
    }


def _inplace_after_save():
    x = torch.ones(3, requires_grad=True)
    y = torch.sigmoid(x)
    y.mul_(2)
    y.sum().backward()


def _backward_twice():
    x = torch.ones(3, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()


ERRORS = {
    "mm_shapes": lambda: torch.randn(64, 784) @ torch.randn(128, 10),
    "mm_dtype": lambda: torch.ones(2, 2) @ torch.ones(2, 2, dtype=torch.long),
    "mv_shapes": lambda: torch.ones(2, 3) @ torch.ones(4),
    "dot_shapes": lambda: torch.ones(3) @ torch.ones(4),
    "bmm_shapes": lambda: torch.ones(2, 3, 4) @ torch.ones(2, 5, 6),
    "broadcast": lambda: torch.ones(2, 3) + torch.ones(4),
    "dim_out_of_range": lambda: torch.ones(2, 3).sum(dim=2),
    "dim_of_scalar": lambda: torch.tensor(1.).softmax(dim=1),
    "index_out_of_range": lambda: torch.ones(3)[5],
    "index_out_of_range_dim1": lambda: torch.ones(3, 4)[1, 7],
    "tensor_index_out_of_range": lambda: torch.ones(3)[torch.tensor([0, 5])],
    "too_many_indices": lambda: torch.ones(3)[0, 0],
    "mask_shape": lambda: torch.ones(3, 4)[torch.ones(4, dtype=torch.bool)],
    "float_index": lambda: torch.ones(3)[torch.tensor([0.])],
    "index_0d": lambda: torch.tensor(1.)[0],
    "backward_non_scalar": lambda: (torch.ones(3, requires_grad=True) * 2).backward(),
    "backward_no_grad": lambda: torch.ones(3).sum().backward(),
    "backward_gradient_shape": lambda: (torch.ones(3, requires_grad=True) * 2).backward(torch.ones(2)),
    "backward_twice": _backward_twice,
    "inplace_leaf": lambda: torch.ones(3, requires_grad=True).add_(1),
    "inplace_after_save": _inplace_after_save,
    "inplace_shape": lambda: torch.ones(3).add_(torch.ones(2, 3)),
    "inplace_type": lambda: torch.ones(3, dtype=torch.long).add_(1.5),
    "view_size": lambda: torch.ones(2, 6).view(5, -1),
    "view_stride": lambda: torch.ones(2, 3).t().view(6),
    "two_inferred": lambda: torch.ones(6).reshape(-1, -1),
    "allocation": lambda: torch.empty(10 ** 7, 10 ** 7),
    "mean_of_ints": lambda: torch.arange(3).mean(),
    "item_of_many": lambda: torch.ones(3).item(),
    "cat_sizes": lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)]),
    "stack_sizes": lambda: torch.stack([torch.ones(2, 3), torch.ones(2, 4)]),
    "expand_size": lambda: torch.ones(2, 3).expand(2, 4),
    "permute_length": lambda: torch.ones(2, 3).permute(0),
    "requires_grad_int": lambda: torch.ones(3, dtype=torch.long).requires_grad_(),
    "int_division_by_zero": lambda: torch.tensor([1, 2]) // torch.tensor([0, 1]),
    "randint_range": lambda: torch.randint(5, 5, (2,)),
    "negate_bool": lambda: -torch.tensor([True]),
    "where_condition": lambda: torch.where(torch.ones(2), torch.ones(2), torch.ones(2)),
    "one_hot_classes": lambda: torch.nn.functional.one_hot(torch.tensor([1, 5]), 3),
    "squeeze_dim": lambda: torch.ones(2, 3).squeeze(5),
}


def record_errors():
    out = {}
    for name, fn in ERRORS.items():
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - every PyTorch error is recorded as it is
            out[name] = {"type": type(e).__name__, "message": str(e).split("\n")[0]}
        else:
            raise AssertionError(f"{name} did not raise")
    return out


PROMOTION_OPERANDS = {
    "f32": lambda: torch.ones(2), "f64": lambda: torch.ones(2, dtype=torch.float64),
    "i64": lambda: torch.ones(2, dtype=torch.long), "bool": lambda: torch.ones(2, dtype=torch.bool),
    "f64_0d": lambda: torch.tensor(1.0, dtype=torch.float64), "i64_0d": lambda: torch.tensor(1),
    "int": lambda: 2, "float": lambda: 2.5, "true": lambda: True,
}


def record_promotion():
    """Result dtype of a + b, a * b and a / b for every pair of operand kinds (a is a tensor)."""
    out = {}
    for a_name, a in PROMOTION_OPERANDS.items():
        if a_name in ("int", "float", "true"):
            continue
        for b_name, b in PROMOTION_OPERANDS.items():
            for op_name, op in (("add", lambda x, y: x + y), ("mul", lambda x, y: x * y), ("div", lambda x, y: x / y)):
                try:
                    out[f"{a_name} {op_name} {b_name}"] = str(op(a(), b()).dtype).replace("torch.", "")
                except RuntimeError:
                    out[f"{a_name} {op_name} {b_name}"] = "error"
    return out


def record_setitem():
    """Tensor contents after index assignments."""
    def run(fn):
        x = torch.arange(12.).reshape(3, 4)
        fn(x)
        return flat(x)

    return {
        "int_row": run(lambda x: x.__setitem__(1, 0.5)),
        "column_slice": run(lambda x: x.__setitem__((slice(None), 1), torch.tensor([7., 8., 9.]))),
        "mask": run(lambda x: x.__setitem__(x > 5, -1.)),
        "index_tensor": run(lambda x: x.__setitem__(torch.tensor([2, 0]), torch.tensor([[1., 2., 3., 4.]]))),
        "slice_and_index": run(lambda x: x.__setitem__((slice(1, 3), torch.tensor([0, 3])), 100.)),
        "two_index_tensors": run(lambda x: x.__setitem__((torch.tensor([0, 2]), torch.tensor([1, 3])), torch.tensor([5., 6.]))),
        "ellipsis_step": run(lambda x: x.__setitem__((Ellipsis, slice(None, None, 2)), 0.)),
        "inplace_sub": run(lambda x: x[1:].sub_(torch.ones(4))),
    }


def main():
    data = {"ops": record_ops(), "promotion": record_promotion(), "setitem": record_setitem(), "format": record_format(), "random": record_random(), "errors": record_errors()}
    for key, value in data.items():
        with open(os.path.join(HERE, "Data", f"{key}.json"), "w") as f:
            json.dump(value, f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
