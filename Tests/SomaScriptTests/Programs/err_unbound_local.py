def g():
    print(y)
    y = 1
g()
