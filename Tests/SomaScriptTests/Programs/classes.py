class Vec:
    """A 2-D vector."""
    count = 0
    def __init__(self, x, y=0):
        self.x = x
        self.y = y
        Vec.count += 1
    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)
    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)
    __rmul__ = __mul__
    def __eq__(self, other):
        return isinstance(other, Vec) and self.x == other.x and self.y == other.y
    def __lt__(self, other):
        return (self.x, self.y) < (other.x, other.y)
    def __len__(self):
        return 2
    def __getitem__(self, i):
        return (self.x, self.y)[i]
    def __repr__(self):
        return "Vec(%d, %d)" % (self.x, self.y)
    def __str__(self):
        return f"<{self.x}, {self.y}>"
    @staticmethod
    def zero():
        return Vec(0, 0)
    @classmethod
    def unit(cls):
        return cls(1, 1)

a = Vec(1, 2)
b = Vec(3, 4)
print(a + b, repr(a * 2), 3 * a, a == Vec(1, 2), a != b, len(a), list(a))
print(sorted([b, a]), Vec.zero(), Vec.unit(), Vec.count, Vec.__doc__)
x, y = a
print(x, y)

class Animal:
    def __init__(self, name):
        self.name = name
    def speak(self):
        return "..."
    def describe(self):
        return f"{self.name} says {self.speak()}"

class Dog(Animal):
    def speak(self):
        return "woof"

class Puppy(Dog):
    def __init__(self, name, age):
        super().__init__(name)
        self.age = age
    def speak(self):
        return super().speak() + "!"

p = Puppy("rex", 1)
print(p.describe(), isinstance(p, Animal), issubclass(Puppy, Dog), type(p).__name__)
print(hasattr(p, "age"), getattr(p, "nope", 42))
setattr(p, "age", 2)
print(p.age)

class Temp:
    def __init__(self):
        self._c = 0
    @property
    def c(self):
        return self._c
    @c.setter
    def c(self, v):
        self._c = v * 1.0
t = Temp()
t.c = 5
print(t.c)

class Counter:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        self.i = 0
        return self
    def __next__(self):
        if self.i >= self.n:
            raise StopIteration
        self.i += 1
        return self.i
print(list(Counter(3)), [c * 2 for c in Counter(2)])

class Adder:
    def __call__(self, a, b=1):
        return a + b
add = Adder()
print(add(1), add(1, b=5), callable(add))
