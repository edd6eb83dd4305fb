# Conditions comparing with an int literal, whatever the other side holds: ints, floats, bools, big values,
# objects with comparison methods, and values that cannot be compared (the error names both types).


class Meters:
    def __init__(self, n):
        self.n = n

    def __lt__(self, other):
        print("Meters.__lt__", other)
        return self.n < other

    def __eq__(self, other):
        return "truthy string" if self.n == other else ""


def classify(x):
    if x < 2:
        return "small"
    if x >= 100:
        return "big"
    if x == 7:
        return "seven"
    if x != 8:
        return "other"
    return "eight"


for value in [0, 1, 2, 7, 8, 99, 100, -5, 1.5, 2.0, 7.0, True, False, 2**62, -(2**62)]:
    print(value, classify(value))

m = Meters(1)
print("Meters(1) < 2:", "yes" if m < 2 else "no")
if m == 1:
    print("__eq__ result used for its truth")
if not (Meters(3) == 1):
    print("empty string is false")

count = 0
while count < 5:
    count += 1
print("count", count)
print([i for i in range(20) if i % 3 != 0])
print([x for x in [1, 2.5, 3, True, 0.0] if x > 1])
print([s for s in range(-3, 4) if s <= 0])


def compare_text(s):
    if s < 2:
        return "never"


for bad in ["two", None, [1]]:
    try:
        compare_text(bad)
    except TypeError as e:
        print("TypeError:", e)
try:
    print([t for t in ["a", 1] if t % 2 != 0])
except TypeError as e:
    print("TypeError:", e)
compare_text("last")
