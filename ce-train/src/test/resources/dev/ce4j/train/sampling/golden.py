"""Golden values for SplitMix64Test and RandomBatchSamplerTest, computed from the documented
algorithms alone (SplitMix64, rejection-sampled bounded ints, Fisher-Yates; ce-api's
DefaultSeedStrategy). Run: python3 golden.py"""
import hashlib
import struct

M = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.x = seed & M

    def next_long(self):
        self.x = (self.x + 0x9E3779B97F4A7C15) & M
        z = self.x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return z ^ (z >> 31)

    def next_int(self, bound):
        limit = 2**63 - (2**63 % bound)
        while True:
            u = self.next_long() >> 1
            if u < limit:
                return u % bound


def permutation(n, seed):
    a = list(range(n))
    r = SplitMix64(seed)
    for i in range(n - 1, 0, -1):
        j = r.next_int(i + 1)
        a[i], a[j] = a[j], a[i]
    return a


def signed(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def derived_seed(master, purpose, index):
    msg = b"ce-seed-v1\0" + purpose.encode() + b"\0" + struct.pack(">qq", master, index)
    return struct.unpack(">q", hashlib.sha256(msg).digest()[:8])[0]


r = SplitMix64(0)
print("splitmix64(0) first three:", [signed(r.next_long()) for _ in range(3)])
print("permutation(10, 42):", permutation(10, 42))
print("permutation(10, -7):", permutation(10, -7))
for epoch in (0, 1):
    s = derived_seed(42, "data-order", epoch)
    print("data seed 42, epoch", epoch, "seed", s, "order of 10:", permutation(10, s))
