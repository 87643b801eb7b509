"""Golden value for ModelFingerprintTest: the fingerprint of two tiny tensors, computed with
hashlib and struct only. Run: python3 golden.py"""
import hashlib, struct
def rec(name, shape, vals):
    b = name.encode() + b"\0F32\0" + struct.pack("<i", len(shape))
    for d in shape: b += struct.pack("<q", d)
    return b + struct.pack("<%df" % len(vals), *vals)
tensors = {"b.w": ([2], [1.0, -2.0]), "a": ([1, 1], [0.5])}
h = hashlib.sha256()
for name in sorted(tensors, key=lambda n: n.encode()):
    h.update(rec(name, *tensors[name]))
print(h.hexdigest())
