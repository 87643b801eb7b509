/*
 * This CPU's arithmetic limits, one core, for docs/performance.md (section Precision):
 *   - the clock: a chain of dependent integer additions, one per cycle;
 *   - float32: 10 independent chains of 256-bit FMAs (16 flops each);
 *   - int8 (AVX2): the inner step of fbgemm's u8 x s8 kernels, vpmaddubsw + vpmaddwd + vpaddd per 32
 *     multiply-adds, 5 independent chains;
 *   - whether AVX-512 FMA, avx512_bf16 (vdpbf16ps), avx512_vnni and avx_vnni (vpdpbusd) execute
 *     (a SIGILL says they do not, whatever /proc/cpuinfo says).
 * Build and run (gcc, x86-64):  gcc -O2 -mavx2 -mfma -mavx512f cpu_peak.c -o cpu_peak && ./cpu_peak
 * Run it on each core at once (./cpu_peak & ./cpu_peak) to see whether the cores share a unit.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static sigjmp_buf jump;
static void illegal(int s) { (void) s; siglongjmp(jump, 1); }

#define FMA10(reg) \
  "vfmadd231ps %%" reg "10,%%" reg "11,%%" reg "0\n vfmadd231ps %%" reg "10,%%" reg "11,%%" reg "1\n" \
  "vfmadd231ps %%" reg "10,%%" reg "11,%%" reg "2\n vfmadd231ps %%" reg "10,%%" reg "11,%%" reg "3\n" \
  "vfmadd231ps %%" reg "10,%%" reg "11,%%" reg "4\n vfmadd231ps %%" reg "10,%%" reg "11,%%" reg "5\n" \
  "vfmadd231ps %%" reg "10,%%" reg "11,%%" reg "6\n vfmadd231ps %%" reg "10,%%" reg "11,%%" reg "7\n" \
  "vfmadd231ps %%" reg "10,%%" reg "11,%%" reg "8\n vfmadd231ps %%" reg "10,%%" reg "11,%%" reg "9\n"

#define STEP(i, acc) \
  "vpmaddubsw %%ymm10,%%ymm11,%%ymm" i "\n vpmaddwd %%ymm12,%%ymm" i ",%%ymm" i "\n vpaddd %%ymm" i ",%%ymm" acc ",%%ymm" acc "\n"

int main(void) {
  const long iterations = 200000000L;
  long n = 2000000000L, x = 0;
  double t0 = now();
  __asm__ volatile("1: add $1, %0\n add $1, %0\n add $1, %0\n add $1, %0\n sub $4, %1\n jnz 1b"
                   : "+r"(x), "+r"(n));
  double clock = 2e9 / (now() - t0) / 1e9;
  printf("clock: %.2f GHz (dependent integer additions)\n", clock);

  long count = iterations;
  t0 = now();
  __asm__ volatile("2: " FMA10("ymm") " dec %0\n jnz 2b" : "+r"(count) :: "xmm0", "xmm1", "xmm2", "xmm3",
                   "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9");
  double fp32 = iterations * 10 * 16 / (now() - t0) / 1e9;
  printf("float32, AVX2 FMA: %.1f GFLOP/s per core = %.1f flops per cycle\n", fp32, fp32 / clock);

  count = iterations;
  t0 = now();
  __asm__ volatile("3: " STEP("0", "5") STEP("1", "6") STEP("2", "7") STEP("3", "8") STEP("4", "9")
                   " dec %0\n jnz 3b" : "+r"(count) :: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
                   "xmm6", "xmm7", "xmm8", "xmm9");
  double int8 = iterations * 5 * 32 / (now() - t0) / 1e9;
  printf("int8, AVX2 (vpmaddubsw+vpmaddwd+vpaddd): %.1f G multiply-adds/s per core = %.1f GOP/s"
         " = %.1f ops per cycle\n", int8, 2 * int8, 2 * int8 / clock);

  signal(SIGILL, illegal);
  if (sigsetjmp(jump, 1) == 0) {
    count = iterations / 4;
    t0 = now();
    __asm__ volatile("4: " FMA10("zmm") " dec %0\n jnz 4b" : "+r"(count) :: "xmm0", "xmm1", "xmm2",
                     "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9");
    printf("float32, AVX-512 FMA: %.1f GFLOP/s per core\n", iterations / 4 * 10 * 32 / (now() - t0) / 1e9);
  } else {
    printf("AVX-512 FMA: illegal instruction\n");
  }
  if (sigsetjmp(jump, 1) == 0) {
    __asm__ volatile(".byte 0x62,0xf2,0x76,0x48,0x52,0xc1" ::: "xmm0"); /* vdpbf16ps zmm0, zmm1, zmm1 */
    printf("avx512_bf16 (vdpbf16ps): executes\n");
  } else {
    printf("avx512_bf16 (vdpbf16ps): illegal instruction\n");
  }
  if (sigsetjmp(jump, 1) == 0) {
    __asm__ volatile(".byte 0x62,0xf2,0x75,0x48,0x50,0xc1" ::: "xmm0"); /* vpdpbusd zmm0, zmm1, zmm1 */
    printf("avx512_vnni (vpdpbusd zmm): executes\n");
  } else {
    printf("avx512_vnni (vpdpbusd zmm): illegal instruction\n");
  }
  return 0;
}
