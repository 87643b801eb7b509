"""Independent re-implementation of ce's documented weight initialisation (WeightInit javadoc).

Prints the float32 bit patterns of the first values of one tensor, for WeightInitTest's golden
values. Run with any Python 3 (standard library only):

    python3 weight_init_golden.py classifier.weight 0 0.02 4
"""
import hashlib
import math
import struct
import sys

M64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


def derived_seed(master, purpose, index):
    """DefaultSeedStrategy: first 8 bytes (big-endian, signed) of SHA-256 of the documented bytes."""
    data = b"ce-seed-v1" + b"\x00" + purpose.encode("utf-8") + b"\x00"
    data += struct.pack(">q", master) + struct.pack(">q", index)
    return struct.unpack(">q", hashlib.sha256(data).digest()[:8])[0]


class SplittableRandom:
    """java.util.SplittableRandom(seed): nextLong and nextDouble."""

    def __init__(self, seed):
        self.seed = seed & M64

    def next_long(self):
        self.seed = (self.seed + GOLDEN_GAMMA) & M64
        z = self.seed
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def next_double(self):
        return (self.next_long() >> 11) * (2.0 ** -53)


def f32_bits(x):
    return struct.unpack(">i", struct.pack(">f", x))[0]


def main():
    name, seed, std, count = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    rnd = SplittableRandom(derived_seed(seed, "init:" + name, 0))
    out = []
    while len(out) < count:
        u1, u2 = rnd.next_double(), rnd.next_double()
        r = math.sqrt(-2.0 * math.log(1.0 - u1))
        theta = 2.0 * math.pi * u2
        out.append(std * r * math.cos(theta))
        out.append(std * r * math.sin(theta))
    for i, v in enumerate(out[:count]):
        print(i, f32_bits(v), struct.unpack(">f", struct.pack(">f", v))[0])


if __name__ == "__main__":
    main()
