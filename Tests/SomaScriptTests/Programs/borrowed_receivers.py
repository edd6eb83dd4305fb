# Method calls whose receiver's variable is rebound or deleted while the call runs (by the arguments, by the method,
# by a deeper call): the method keeps working on the object it was called on. `churn` makes and drops many objects,
# so memory given back too early would be reused.


def churn():
    junk = [Node("junk%d" % i, list(range(i % 7))) for i in range(300)]
    return len(junk)


class Node:
    def __init__(self, name, items):
        self.name = name
        self.items = items

    def rebind_global(self):
        global node
        node = Node("replacement", [0])
        churn()
        return self.name + ":" + str(sum(self.items))

    def delete_global(self):
        global node
        del node
        churn()
        return self.name, len(self.items)

    def with_arg(self, value):
        churn()
        return f"{self.name} got {value}"

    def with_two(self, a, b):
        churn()
        return f"{self.name} got {a} and {b}"

    def recurse(self, depth):
        global node
        if depth == 0:
            node = Node("deep", [depth])
            churn()
            return self.name
        return self.name + ">" + node.recurse(depth - 1)

    def fail_after_rebind(self):
        global node
        node = None
        churn()
        raise ValueError("failed in " + self.name)

    def rebind_self(self):
        before = self.name
        self = Node("other", [])
        churn()
        return before + " -> " + self.name

    def drop_self(self):
        name = self.name
        del self
        churn()
        return name

    def walk(self):
        for x in self.items:
            churn()
            yield self.name, x

    def again(self):
        return self.name


def rebinder(value):
    global node
    node = Node("from argument", [7])
    churn()
    return value


node = Node("first", [1, 2, 3])
print(node.rebind_global())
print(node.name)

node = Node("second", [4, 5])
print(node.delete_global())
try:
    print(node)
except NameError as e:
    print("NameError:", e)

node = Node("third", [9])
print(node.with_arg(rebinder(42)))
print(node.name)

node = Node("fourth", [9])
print(node.with_two(rebinder(1), rebinder(2)))
print(node.name)

node = Node("fifth", [])
print(node.with_arg(node.rebind_global()))
print(node.name)

node = Node("sixth", [1])
print(node.recurse(3))
print(node.name, node.again())

node = Node("seventh", [2])
try:
    node.fail_after_rebind()
except ValueError as e:
    print("ValueError:", e)
print(node)

node = Node("eighth", [3])
try:
    node.with_arg(rebinder(1) / 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)
print(node.name)

node = Node("ninth", [4])
print(node.rebind_self())
print(node.drop_self(), node.again())

node = Node("tenth", [1, 2])
walker = node.walk()
node = None
churn()
print(list(walker))


def local_receiver():
    n = Node("local", [1])
    first = n.with_arg(n.rebind_global())
    n2 = Node("local2", [2])
    second = n2.with_two(n2.again(), n2.rebind_self())
    return first, second


print(local_receiver())
print(node.name)


class Holder:
    def __init__(self):
        self.child = Node("child", [3])


holder = Holder()


def drop_child():
    holder.child = None
    churn()
    return "dropped"


print(holder.child.with_arg(drop_child()))
print(holder.child)
print(Node("temporary", [5]).with_arg(rebinder("t")))


def in_function():
    global node
    node = Node("global from function", [6])
    return node.with_arg(rebinder("f")), node.name


print(in_function())

total = 0
node = Node("loop", [1])
for i in range(50):
    if i % 10 == 0:
        total += len(node.with_arg(rebinder(i)))
    else:
        total += len(node.again())
print(total, node.name)
