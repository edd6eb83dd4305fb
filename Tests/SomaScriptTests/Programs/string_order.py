# str comparison is by code points (not Unicode canonical equivalence)
composed, decomposed = "\u00e9", "e\u0301"
print(composed == decomposed, composed != decomposed, len(composed), len(decomposed))
print(sorted(["b", "a", composed, decomposed, "Z", "", "ab", "a\u0000"]))
print("abc" < "abd", "abc" < "ab", "" < "a", "\uffff" < "\U0001f600", "z" > "é")
print(max(["pear", "apple", "fig"]), min("hello"), sorted("Soma"))
d = {composed: 1}
print(decomposed in d, composed in d, [k for k in sorted({"é": 0, "e": 1, "f": 2})])
