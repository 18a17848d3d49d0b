// SPDX-License-Identifier: GPL-2.0
/*
 * IOAPIC routing of legacy and PCI INTx interrupts, and retirement of the
 * 8259 PICs (remapped out of the exception range, then fully masked).
 *
 * IOAPIC registers: 82093AA datasheet, 3.1 (IOREGSEL at +0x00, IOWIN at
 * +0x10; IOAPICVER bits 16-23 = maximum redirection entry; redirection
 * entry n at 0x10 + 2n, low then high dword).
 */
#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/irq.h>
#include <lego/kernel.h>
#include <lego/spinlock.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/percpu.h>

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REDTBL(n)	(0x10 + 2 * (n))
#define IOAPIC_RTE_MASKED	(1 << 16)
#define IOAPIC_RTE_LEVEL	(1 << 15)
#define IOAPIC_RTE_ACTIVE_LOW	(1 << 13)

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1

struct ioapic {
	volatile void *base;
	u32 gsi_base;
	u32 nr_pins;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned int nr_ioapics;
static DEFINE_SPINLOCK(ioapic_lock);

static u32 ioapic_read(struct ioapic *io, u32 reg)
{
	writel(reg, io->base + IOAPIC_REGSEL);
	return readl(io->base + IOAPIC_WINDOW);
}

static void ioapic_write(struct ioapic *io, u32 reg, u32 v)
{
	writel(reg, io->base + IOAPIC_REGSEL);
	writel(v, io->base + IOAPIC_WINDOW);
}

static struct ioapic *ioapic_for_gsi(unsigned int gsi, u32 *pin)
{
	unsigned int i;

	for (i = 0; i < nr_ioapics; i++) {
		struct ioapic *io = &ioapics[i];

		if (gsi >= io->gsi_base && gsi < io->gsi_base + io->nr_pins) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return NULL;
}

/* ICW1-4: PIC 8259A datasheet; vectors 0x20-0x2f, then mask everything. */
void pic_disable(void)
{
	outb(0x11, PIC1_CMD);
	outb(0x11, PIC2_CMD);
	outb(0x20, PIC1_DATA);
	outb(0x28, PIC2_DATA);
	outb(0x04, PIC1_DATA);
	outb(0x02, PIC2_DATA);
	outb(0x01, PIC1_DATA);
	outb(0x01, PIC2_DATA);
	outb(0xff, PIC1_DATA);
	outb(0xff, PIC2_DATA);
}

void ioapic_init(void)
{
	unsigned int i, pin;

	if (acpi_info.has_8259)
		pic_disable();
	for (i = 0; i < acpi_info.nr_ioapics; i++) {
		struct ioapic *io = &ioapics[nr_ioapics];

		io->base = ioremap(acpi_info.ioapics[i].addr, 0x1000);
		if (!io->base) {
			pr_err("IOAPIC: cannot map %#llx\n",
			       (unsigned long long)acpi_info.ioapics[i].addr);
			continue;
		}
		io->gsi_base = acpi_info.ioapics[i].gsi_base;
		io->nr_pins = ((ioapic_read(io, IOAPIC_REG_VER) >> 16) & 0xff) + 1;
		for (pin = 0; pin < io->nr_pins; pin++)
			ioapic_write(io, IOAPIC_REDTBL(pin), IOAPIC_RTE_MASKED);
		pr_info("IOAPIC: id %u at %#llx, GSI %u-%u\n",
			acpi_info.ioapics[i].id,
			(unsigned long long)acpi_info.ioapics[i].addr,
			io->gsi_base, io->gsi_base + io->nr_pins - 1);
		nr_ioapics++;
	}
}

void ioapic_route(unsigned int gsi, u8 vector, u32 dest_apic_id, bool level,
		  bool active_low)
{
	u32 pin, lo = vector;
	unsigned long flags;
	struct ioapic *io = ioapic_for_gsi(gsi, &pin);

	if (!io) {
		pr_err("IOAPIC: no IOAPIC serves GSI %u\n", gsi);
		return;
	}
	if (level)
		lo |= IOAPIC_RTE_LEVEL;
	if (active_low)
		lo |= IOAPIC_RTE_ACTIVE_LOW;
	spin_lock_irqsave(&ioapic_lock, flags);
	ioapic_write(io, IOAPIC_REDTBL(pin) + 1, dest_apic_id << 24);
	ioapic_write(io, IOAPIC_REDTBL(pin), lo);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

void ioapic_mask(unsigned int gsi, bool masked)
{
	u32 pin, lo;
	unsigned long flags;
	struct ioapic *io = ioapic_for_gsi(gsi, &pin);

	if (!io)
		return;
	spin_lock_irqsave(&ioapic_lock, flags);
	lo = ioapic_read(io, IOAPIC_REDTBL(pin));
	lo = masked ? lo | IOAPIC_RTE_MASKED : lo & ~IOAPIC_RTE_MASKED;
	ioapic_write(io, IOAPIC_REDTBL(pin), lo);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

int request_gsi(unsigned int gsi, bool level, bool active_low,
		irq_handler_t handler, void *data, const char *name)
{
	u32 pin;
	int v;

	if (!ioapic_for_gsi(gsi, &pin))
		return -ENODEV;
	v = irq_alloc_vector(handler, data, name);
	if (v < 0)
		return v;
	ioapic_route(gsi, v, cpu_info[0].apic_id, level, active_low);
	return v;
}

/* ISA IRQs are edge/active-high unless the MADT overrides them. */
int request_isa_irq(unsigned int isa_irq, irq_handler_t handler, void *data,
		    const char *name)
{
	unsigned int i, gsi = isa_irq;
	bool level = false, low = false;

	if (isa_irq > 15)
		return -EINVAL;
	for (i = 0; i < acpi_info.nr_overrides; i++) {
		const struct acpi_irq_override *o = &acpi_info.overrides[i];

		if (o->source == isa_irq) {
			gsi = o->gsi;
			level = o->level;
			low = o->active_low;
		}
	}
	return request_gsi(gsi, level, low, handler, data, name);
}
