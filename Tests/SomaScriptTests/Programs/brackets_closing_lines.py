# Lines that start by closing brackets, as tutorials write lists and calls over several lines.
x = [
    1,
    2
]
print(x)
d = dict(a=[
    1,
    # a comment inside the brackets
    2,
])
print(d)
def f(*args):
    return len(args)
y = f(
    (0.5,), (0.5,)
)
print(y)
if y == 2:
    z = [
        y,
    ]
    print(z)
print("done")
