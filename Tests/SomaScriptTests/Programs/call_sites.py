# Call sites that remember functions and methods: rebinding, shadowing, recursion and class changes.


def greet(n):
    return "hello " * n


def call_greet():
    return greet(2)


print(call_greet())


def greet(n):
    return "bye " * n


print(call_greet())
greet = str
print(call_greet())


def rebinds_itself(depth):
    global rebinds_itself
    if depth == 0:
        rebinds_itself = lambda d: "replaced"
        return "original ran"
    return rebinds_itself(depth - 1) + "/" + str(depth)


print(rebinds_itself(3))
print(rebinds_itself(3))


def counter(n):
    return n if n < 2 else counter(n - 1) + counter(n - 2)


results = []
for i in range(8):
    results.append(counter(i))
print(results)


def with_default(a, b=10):
    return a + b


def call_default():
    return with_default(1), with_default(1, 2)


print(call_default())
with_default.__defaults__ = (100,) if hasattr(with_default, "__defaults__") else None
print(call_default()[1])


def make_adder(k):
    def add(x):
        return x + k
    return add


adder = make_adder(5)


def use_adder():
    return adder(1)


print(use_adder())
adder = make_adder(7)
print(use_adder())


class Shape:
    def __init__(self, size):
        self.size = size

    def area(self):
        return self.size * self.size

    def grow(self, by):
        self.size += by
        return self.area()


class Circle(Shape):
    def area(self):
        return 3 * self.size * self.size


def areas(items):
    return [s.area() for s in items]


shapes = [Shape(2), Circle(2), Shape(3)]
print(areas(shapes))
s = Shape(4)
print(s.grow(1), s.area())
s.area = lambda: "instance attribute wins"
print(s.area())
del s.area
print(s.area())
Shape.area = lambda self: -self.size
print(areas(shapes))


def swap_receiver():
    global s
    s = Circle(1)
    return 1


s = Shape(10)
print(s.grow(swap_receiver()), s.size)


class Node:
    def __init__(self, value, rest):
        self.value = value
        self.rest = rest

    def total(self):
        return self.value + (self.rest.total() if self.rest is not None else 0)


chain = None
for v in range(50):
    chain = Node(v, chain)
print(chain.total())
print(chain.rest.value, chain.rest.rest.value)


def deep(n):
    return deep(n + 1)


try:
    deep(0)
except RecursionError as e:
    print("RecursionError", type(e).__name__)
print(call_greet())


def returns_or_raises(mode):
    try:
        if mode == 1:
            return 7
    finally:
        if mode == 1:
            raise ValueError("boom")


for mode in [1, 0, 1, 0]:
    try:
        print(returns_or_raises(mode))
    except ValueError as e:
        print("ValueError", e)


class Acc:
    def __init__(self):
        self.n = 1
        self.s = "a"
        self.items = [1]

    def bump(self, k):
        self.n += k
        self.s += str(k)
        self.items += [k]
        self.n *= 2
        return self.n

    @property
    def double(self):
        return self.n * 2

    def bump_missing(self):
        self.missing += 1

    def bump_property(self):
        self.double += 1


acc = Acc()
print(acc.bump(3), acc.s, acc.items)


def hook_during(k):
    Acc.__setattr__ = lambda self, name, value: object.__setattr__(self, name, value * 10)
    return k


print(acc.bump(hook_during(1)), acc.n)
del Acc.__setattr__
try:
    acc.bump_missing()
except AttributeError as e:
    print("AttributeError", e)
try:
    acc.bump_property()
except AttributeError as e:
    print("AttributeError", type(e).__name__)
