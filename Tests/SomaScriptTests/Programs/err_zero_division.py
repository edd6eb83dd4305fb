x = 10
print(x)
print(x / (x - 10))
