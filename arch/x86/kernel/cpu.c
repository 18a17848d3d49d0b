// SPDX-License-Identifier: GPL-2.0
/*
 * CPU feature detection and the protection features every CPU turns on:
 * SMEP (no kernel execution of user pages), SMAP (no kernel data access to
 * user pages outside explicit user-copy windows), UMIP (no SGDT/SIDT/... in
 * user mode) and global pages, each only when CPUID reports it.
 * CPUID leaf 7 subleaf 0: EBX bit 7 SMEP, bit 20 SMAP; ECX bit 2 UMIP.
 */
#include <lego/kernel.h>
#include <asm/processor.h>
#include <asm/smp.h>

struct cpu_features {
	char vendor[13];
	char model[49];
	bool smep, smap, umip, nx, pge, pdpe1gb, x2apic, invariant_tsc;
};

static struct cpu_features feat;

static void read_brand(void)
{
	u32 r[12], max, a, b, c, d;
	int i;

	cpuid(0, &max, &b, &c, &d);
	memcpy(feat.vendor, &b, 4);
	memcpy(feat.vendor + 4, &d, 4);
	memcpy(feat.vendor + 8, &c, 4);
	cpuid(0x80000000, &a, &b, &c, &d);
	if (a < 0x80000004)
		return;
	for (i = 0; i < 3; i++)
		cpuid(0x80000002 + i, &r[4 * i], &r[4 * i + 1],
		      &r[4 * i + 2], &r[4 * i + 3]);
	memcpy(feat.model, r, 48);
	strim(feat.model);
}

void cpu_features_init(void)
{
	u32 max, a, b, c, d;

	read_brand();
	cpuid(0, &max, &b, &c, &d);
	cpuid(1, &a, &b, &c, &d);
	feat.pge = d & (1 << 13);
	feat.x2apic = c & (1 << 21);
	if (max >= 7) {
		cpuid_count(7, 0, &a, &b, &c, &d);
		feat.smep = b & (1 << 7);
		feat.smap = b & (1 << 20);
		feat.umip = c & (1 << 2);
	}
	cpuid(0x80000001, &a, &b, &c, &d);
	feat.nx = d & (1 << 20);
	feat.pdpe1gb = d & (1 << 26);
	cpuid(0x80000000, &a, &b, &c, &d);
	if (a >= 0x80000007) {
		cpuid(0x80000007, &a, &b, &c, &d);
		feat.invariant_tsc = d & (1 << 8);
	}
	pr_info("CPU: %s %s\n", feat.vendor, feat.model);
	pr_info("CPU: NX %s, SMEP %s, SMAP %s, UMIP %s, PGE %s, 1G pages %s, x2APIC %s\n",
		feat.nx ? "on" : "absent", feat.smep ? "on" : "absent",
		feat.smap ? "on" : "absent", feat.umip ? "on" : "absent",
		feat.pge ? "on" : "absent", feat.pdpe1gb ? "yes" : "no",
		feat.x2apic ? "yes" : "no");
	cpu_setup_features();
}

/* Called on every CPU, the boot CPU included. */
void cpu_setup_features(void)
{
	unsigned long cr4 = read_cr4();

	if (feat.smep)
		cr4 |= X86_CR4_SMEP;
	if (feat.smap)
		cr4 |= X86_CR4_SMAP;
	if (feat.umip)
		cr4 |= X86_CR4_UMIP;
	if (feat.pge)
		cr4 |= X86_CR4_PGE;
	write_cr4(cr4);
}

bool cpu_has_pdpe1gb(void);
bool cpu_has_pdpe1gb(void)
{
	return feat.pdpe1gb;
}
