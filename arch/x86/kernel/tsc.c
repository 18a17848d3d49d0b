// SPDX-License-Identifier: GPL-2.0
/*
 * The TSC as the kernel's clock.
 *
 * The TSC rate is measured against PIT channel 2 (1.193182 MHz; gate and
 * output through port 0x61) over three 10 ms windows, keeping the fastest
 * measurement (the least disturbed by emulation or SMIs).  ktime_get_ns()
 * then converts TSC cycles with a 32.32 fixed-point multiplier.  QEMU keeps
 * the TSCs of all vCPUs in step, as do invariant-TSC servers.
 *
 * Intel 8254 datasheet (mode 0, lobyte/hibyte access); port 0x61 bits:
 * 0 = channel 2 gate, 1 = speaker data, 5 = channel 2 output.
 */
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/time.h>
#include <asm/io.h>
#include <asm/processor.h>

#define PIT_HZ			1193182
#define PIT_CH2			0x42
#define PIT_CMD			0x43
#define PIT_CMD_CH2_MODE0	0xb0
#define PORT_B			0x61
#define CALIBRATE_MS		10

u64 tsc_khz;
static u64 tsc_base;
static u64 tsc_mult;		/* ns per cycle, 32.32 fixed point */

static u64 pit_measure_tsc(unsigned int ms)
{
	u32 count = PIT_HZ * ms / 1000;
	u64 start, end, spins = 0;
	u8 b = inb(PORT_B);

	outb((b & ~0x02) | 0x01, PORT_B);	/* gate on, speaker off */
	outb(PIT_CMD_CH2_MODE0, PIT_CMD);
	outb(count & 0xff, PIT_CH2);
	outb(count >> 8, PIT_CH2);
	start = rdtsc_ordered();
	while (!(inb(PORT_B) & 0x20)) {
		if (++spins > 100000000)
			return 0;	/* the PIT never fired */
	}
	end = rdtsc_ordered();
	outb(b, PORT_B);
	return end - start;
}

/* Called first thing in start_kernel: time 0 is kernel entry. */
void tsc_early_init(void)
{
	tsc_base = rdtsc();
}

u64 ktime_get_ns(void)
{
	u64 cycles;

	if (!tsc_mult)
		return 0;
	cycles = rdtsc() - tsc_base;
	return (u64)(((unsigned __int128)cycles * tsc_mult) >> 32);
}

void ndelay(unsigned long ns)
{
	u64 start = ktime_get_ns();

	while (ktime_get_ns() - start < ns)
		cpu_relax();
}

void udelay(unsigned long us)
{
	ndelay(us * NSEC_PER_USEC);
}

void mdelay(unsigned long ms)
{
	ndelay(ms * NSEC_PER_MSEC);
}

void time_init(void)
{
	u64 best = 0, c;
	int i;

	for (i = 0; i < 3; i++) {
		c = pit_measure_tsc(CALIBRATE_MS);
		if (c && (!best || c < best))
			best = c;
	}
	if (!best)
		panic("TSC: PIT channel 2 does not count; cannot calibrate the clock");
	tsc_khz = best / CALIBRATE_MS;
	tsc_mult = (NSEC_PER_MSEC << 32) / tsc_khz;
	pr_info("TSC: %llu.%03llu MHz (calibrated against the PIT)\n",
		(unsigned long long)tsc_khz / 1000,
		(unsigned long long)tsc_khz % 1000);
}
