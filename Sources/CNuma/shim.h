#ifndef QFP_CNUMA_SHIM_H
#define QFP_CNUMA_SHIM_H

#include <numa.h>
#include <sched.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <string.h>
#include <sys/prctl.h>

/* CPU_ZERO/CPU_SET are macros behind _GNU_SOURCE, which the importer may not see here;
   cpu_set_t is a plain bit array, so manipulate it directly. */
#define QFP_CPU_WORD_BITS (8 * sizeof(unsigned long))
#define QFP_CPU_MAX ((int)(8 * sizeof(cpu_set_t)))

static inline void qfp_cpuset_add(cpu_set_t *set, int cpu) {
    ((unsigned long *)set)[cpu / QFP_CPU_WORD_BITS] |= 1UL << (cpu % QFP_CPU_WORD_BITS);
}

static inline int qfp_cpuset_has(const cpu_set_t *set, int cpu) {
    return (((const unsigned long *)set)[cpu / QFP_CPU_WORD_BITS] >> (cpu % QFP_CPU_WORD_BITS)) & 1UL;
}

/* Timer slack of the calling thread: how late the kernel may wake it from a sleep. */
static inline int qfp_set_timer_slack(unsigned long nanoseconds) {
    return prctl(PR_SET_TIMERSLACK, nanoseconds, 0, 0, 0);
}

/* Hint the CPU to bring the cache line at `p` into all cache levels (read intent). */
static inline __attribute__((always_inline)) void qfp_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 3);
}

/* Hint the CPU to bring the cache line at `p` in for writing. */
static inline __attribute__((always_inline)) void qfp_prefetch_write(const void *p) {
    __builtin_prefetch(p, 1, 3);
}

/* Spin-wait hint (`pause` on x86, `yield` on arm64). */
static inline __attribute__((always_inline)) void qfp_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* A cheap, monotonic cycle counter (TSC on x86, the virtual counter on arm64). */
static inline __attribute__((always_inline)) unsigned long long qfp_cycles(void) {
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_ia32_rdtsc();
#elif defined(__aarch64__)
    unsigned long long v;
    __asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(v));
    return v;
#else
    return 0;
#endif
}

/* Pins the calling thread to one CPU. Returns 0 or an errno value. */
static inline int qfp_pin_current_thread(int cpu) {
    if (cpu < 0 || cpu >= QFP_CPU_MAX) return 22; /* EINVAL */
    cpu_set_t set;
    memset(&set, 0, sizeof set);
    qfp_cpuset_add(&set, cpu);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* The CPU the calling thread runs on now, or -1. */
static inline int qfp_current_cpu(void) {
    return sched_getcpu();
}

/* Names the calling thread (at most 15 characters are kept). */
static inline int qfp_name_current_thread(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

/* Whether the process may run on `cpu`. */
static inline int qfp_cpu_allowed(int cpu) {
    if (cpu < 0 || cpu >= QFP_CPU_MAX) return 0;
    cpu_set_t set;
    memset(&set, 0, sizeof set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return 0;
    return qfp_cpuset_has(&set, cpu);
}

#endif
