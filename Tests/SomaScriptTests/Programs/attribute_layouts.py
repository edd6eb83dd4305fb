# Attribute layouts shared by instances (sites that remember them), many attributes, deletion and re-adding,
# __dict__ order, instance attributes shadowing methods, a property at a site that saw plain instances, and the
# int fast paths (floor division and modulo of negatives, chained and boolean conditions).
class A:
    def __init__(self, x):
        self.x = x
    def m(self):
        return "method"

def get_x(o):
    return o.x

def call_m(o):
    return o.m()

objs = [A(i) for i in range(5)]
print([get_x(o) for o in objs])
objs[2].y = 5
objs[3].m = lambda: "instance"
print([call_m(o) for o in objs])
del objs[3].m
print(call_m(objs[3]))
b = A(1)
for i in range(100):
    setattr(b, "a" + str(i), i)
print(b.a99, b.a0, b.x, len(b.__dict__))
del b.a50
b.a50 = 7
print(list(b.__dict__)[-3:], b.a50)
del b.x
try:
    print(get_x(b))
except AttributeError as e:
    print("AttributeError", e)
c = A(3)
del c.x
c.x = 9
c.z = 1
print(get_x(c), c.__dict__)
class B(A):
    @property
    def x(self):
        return "prop"
    @x.setter
    def x(self, v):
        pass
print(get_x(B(1)), [get_x(o) for o in [A(1), B(2), A(3)]])
def f(n):
    total = 0
    for i in range(n):
        total += i % 3 - i // 4 + (i & 5) - (-i) % 7 + (-i) // 3
    return total
print(f(1000), 7 // 2, -7 // 2, -7 % 3, 7 % -3)
print(1 < 2 < 3, 3 > 2 > 5, not 1 < 0, (1 < 2) and 5, 0 or 1 < 2)
def g(a, b=2):
    if a < b and not a == 0:
        return a
    return b
print(g(1), g(0), g(5), g(1, 0))
