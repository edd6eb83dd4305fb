# Augmented assignment to every kind of target: locals, globals, closure cells, class bodies, attributes and items,
# with the target read before the value runs, in-place list updates seen through other names, and the errors.
counter = 10


def bump_counter():
    global counter
    counter = 100
    return 5


counter += bump_counter()  # the old value is read first
print("global", counter)


def locals_of_every_type():
    total = 0
    for i in range(5):
        total += i * i
    ratio = 1.5
    ratio *= 4
    ratio -= 0.5
    text = "ab"
    text += "cd"
    text *= 2
    items = [1]
    alias = items
    items += [2, 3]  # in place: the alias sees it
    pair = (1,)
    before = pair
    pair += (2,)  # a new tuple
    bits = 0b1100
    bits |= 0b0011
    bits &= 0b1010
    bits ^= 0b0001
    bits <<= 2
    bits >>= 1
    n = 17
    n //= 3
    n %= 4
    n **= 3
    return total, ratio, text, items, alias, pair, before, bits, n


print(locals_of_every_type())


def with_global():
    global counter
    for _ in range(3):
        counter += 1
    return counter


print("with global", with_global(), counter)


def closure():
    count = 0

    def step(k):
        nonlocal count
        count += k
        return count

    step(2)
    step(3)
    return count


print("closure", closure())


class Settings:
    level = 1
    level += 2
    names = ["a"]
    names += ["b"]


print("class body", Settings.level, Settings.names)


class Meter:
    def __init__(self):
        self.reading = 0
        self.log = []

    @property
    def doubled(self):
        return self.reading * 2

    @doubled.setter
    def doubled(self, value):
        self.log.append(value)
        self.reading = value // 2


m = Meter()
m.reading += 4
m.doubled += 10
m.log += ["end"]
print("attributes", m.reading, m.doubled, m.log)

grid = {"a": 1}
grid["a"] += 1
grid["b"] = grid.get("b", 0)
grid["b"] -= 3
row = [1, 2, 3]
row[-1] *= 10
print("items", grid, row)


def unbound():
    try:
        total += 1
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    total = 0
    return total


unbound()


def undefined():
    global never_defined
    try:
        never_defined += 1
    except NameError as e:
        print("NameError:", e)


undefined()

try:
    len += 1
except TypeError as e:
    print("TypeError:", e)

value = "text"
try:
    value -= 1
except TypeError as e:
    print("TypeError:", e)
print("unchanged", value)


class Plain:
    pass


class Adds:
    def __init__(self, n):
        self.n = n

    def __add__(self, other):
        return Adds(self.n + other)


class AddsInPlace(Adds):
    def __iadd__(self, other):
        self.n += other * 100
        return self


p = Plain()
try:
    p **= 2
except TypeError as e:
    print("TypeError:", e)
a = Adds(1)
first = a
a += 2
print("__add__ for +=", a.n, first.n, a is first)
b = AddsInPlace(1)
first = b
b += 2
print("__iadd__", b.n, b is first)
