# Indexing strs held in local variables (read in place) and elsewhere: ASCII and not, short and long, negative
# indices, bools, slices, and the errors.


def characters(s):
    out = []
    for i in range(-len(s), len(s)):
        out.append(s[i])
    return "".join(out), s[0], s[-1], s[True], s[False], s[1:], s[::-1], s[-2:]


for text in ["ab", "k12345", "exactly15chars!", "a longer string of text", "héllo", "日本語テキスト", "xy"]:
    print(characters(text))


def errors(s, keys):
    for k in keys:
        try:
            print(repr(s[k]))
        except (IndexError, TypeError) as e:
            print(type(e).__name__ + ":", e)


errors("abc", [3, -4, 100, "0", 1.0, None, -1, 2])
errors("", [0, -1])
errors("ünï", [3, -4, 1])
counts = {}
for word in ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]:
    counts[word[-1]] = counts.get(word[-1], 0) + 1
    counts[word[0]] = counts.get(word[0], 0) + 1
print(sorted(counts.items()))
