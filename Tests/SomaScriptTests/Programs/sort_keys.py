# sorting by int, str and tuple keys: Python's order (code points), stable, reverse keeps ties in order
import random

random.seed(3)
words = ["prefix_same_a", "prefix_same_b", "prefix_s", "prefix", "", "a", "B", "é", "e\u0301", "日本", "zz", "prefix_same_a",
         "ab\x00", "ab", "abc" * 10, "abc" * 9 + "abd", "Zebra", "apple", "apple pie", "-1", "10", "9"]
print(sorted(words))
print(sorted(words, reverse=True))
print(sorted(words, key=len))
print(sorted(words, key=len, reverse=True))
print(sorted(words, key=lambda w: (len(w), w), reverse=True))
print(sorted(words, key=lambda w: (w[:1], -len(w))))
nums = [random.randint(-2**62, 2**62) for _ in range(50)] + [0, -1, 1, -(2**62) * 2, 2**62 - 1 + 2**62, 5, 5]
print(sorted(nums) == sorted(nums, key=lambda n: n), sorted(nums)[:3], sorted(nums)[-3:])
pairs = [(random.randint(0, 3), random.choice("abc")) for _ in range(40)]
print(sorted(pairs))
print(sorted(range(40), key=lambda i: pairs[i]))
print(sorted(range(40), key=lambda i: pairs[i][0], reverse=True))
records = [{"name": f"n{i % 7}", "score": i % 5} for i in range(30)]
print([r["name"] + str(r["score"]) for r in sorted(records, key=lambda r: (r["score"], r["name"]))])
mixed = [3, 1.5, True, 2]
print(sorted(mixed), sorted(mixed, reverse=True))
print(sorted([(1, "b"), (1, 2.5)], key=lambda t: t[0]))
try:
    sorted([(1, "b"), (1, 2)])
except TypeError as e:
    print("TypeError:", e)
try:
    sorted(["a", 1])
except TypeError as e:
    print("TypeError:", e)
# the widest ranges of 64-bit ints (their widths do not fit in one)
top = 2**62 - 1 + 2**62
print([random.randint(-top, top) for _ in range(3)], random.randint(top - 1, top), random.randrange(-top, top, 2**60))
