// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite "pci": what enumeration found on the machine we booted on.
 *
 * ktest.pci_expect=VVVV:DDDD,... names devices the test harness gave QEMU
 * (e.g. `-device e1000` with ktest.pci_expect=8086:100e); each one missing
 * fails the expected_devices case with its id.
 *
 * The suite also carries a driver, "pci-ktest", that claims the host
 * bridge on boots that run self-tests (and declines it otherwise), so the
 * whole path from the .pci_drivers section through matching, probe and
 * unbinding is exercised on every test run.
 */
#include <lego/acpi.h>
#include <lego/errno.h>
#include <lego/irq.h>
#include <lego/ktest.h>
#include <lego/params.h>
#include <lego/pci.h>

#include <asm/io.h>

#include "internal.h"

static char pci_expect[256];
lego_param_string("ktest.pci_expect", pci_expect,
		  "PCI devices the pci self-test must find: VVVV:DDDD,...");

#define PCI_KTEST_DRIVER_DATA	0x1e905

static struct pci_dev *ktest_bound_dev;
static unsigned long ktest_bound_data;
static bool ktest_removed;

static int pci_ktest_probe(struct pci_dev *dev, const struct pci_device_id *id)
{
	if (!ktest_requested() || ktest_bound_dev)
		return -ENODEV;
	ktest_bound_dev = dev;
	ktest_bound_data = id->driver_data;
	return 0;
}

static void pci_ktest_remove(struct pci_dev *dev)
{
	ktest_removed = dev == ktest_bound_dev;
}

static const struct pci_device_id pci_ktest_ids[] = {
	{ PCI_DEVICE_CLASS(PCI_CLASS_BRIDGE_HOST << 8, 0xffff00),
	  .driver_data = PCI_KTEST_DRIVER_DATA },
	{ }
};

DEFINE_PCI_DRIVER(pci_ktest_driver) = {
	.name = "pci-ktest",
	.id_table = pci_ktest_ids,
	.probe = pci_ktest_probe,
	.remove = pci_ktest_remove,
};

static void host_bridge(struct ktest *t)
{
	struct pci_dev *dev = pci_get_slot(0, 0, PCI_DEVFN(0, 0));

	KTEST_ASSERT_NOT_NULL(t, dev);
	KTEST_EXPECT_NE(t, dev->vendor, 0xffff);
	KTEST_EXPECT_NE(t, dev->vendor, 0);
	KTEST_EXPECT_EQ(t, dev->class >> 8, PCI_CLASS_BRIDGE_HOST);
}

static void vendors_valid(struct ktest *t)
{
	struct pci_dev *dev;
	unsigned int n = 0;

	for_each_pci_dev(dev) {
		KTEST_EXPECT_NE(t, dev->vendor, 0xffff);
		KTEST_EXPECT_NE(t, dev->vendor, 0);
		n++;
	}
	KTEST_EXPECT_GE(t, n, 1);
}

static void bars_sane(struct ktest *t)
{
	struct pci_dev *dev;
	unsigned int i;

	for_each_pci_dev(dev) {
		for (i = 0; i < PCI_STD_NUM_BARS; i++) {
			const struct pci_bar *b = &dev->bar[i];

			if (!b->size)
				continue;
			if (b->size & (b->size - 1))
				ktest_fail(t, __FILE__, __LINE__,
					   "%s BAR%u size 0x%llx is not a power of two",
					   dev->name, i,
					   (unsigned long long)b->size);
			else if (b->start & (b->size - 1))
				ktest_fail(t, __FILE__, __LINE__,
					   "%s BAR%u at 0x%llx is not aligned to its size 0x%llx",
					   dev->name, i,
					   (unsigned long long)b->start,
					   (unsigned long long)b->size);
		}
	}
}

/* Compare one dword through both mechanisms; reread once on a mismatch. */
static bool config_dword_agrees(const struct pci_dev *dev, int where,
				u32 *legacy, u32 *ecam)
{
	int tries;

	for (tries = 0; tries < 2; tries++) {
		pci_conf1_ops.read(0, dev->bus, dev->devfn, where, 4, legacy);
		pci_ecam_ops.read(0, dev->bus, dev->devfn, where, 4, ecam);
		if (*legacy == *ecam)
			return true;
	}
	return false;
}

static void legacy_matches_ecam(struct ktest *t)
{
	struct pci_dev *dev;
	unsigned int checked = 0;
	u32 legacy, ecam;
	int where;

	if (!acpi_info.nr_mcfg || !pci_conf1_present()) {
		ktest_skip(t, "needs both an MCFG and ports 0xcf8/0xcfc");
		return;
	}
	for_each_pci_dev(dev) {
		if (dev->segment || !pci_ecam_covers(0, dev->bus))
			continue;
		for (where = 0; where < 64; where += 4) {
			if (config_dword_agrees(dev, where, &legacy, &ecam))
				continue;
			ktest_fail(t, __FILE__, __LINE__,
				   "%s offset 0x%02x: legacy 0x%08x, ECAM 0x%08x",
				   dev->name, where, legacy, ecam);
		}
		checked++;
	}
	KTEST_EXPECT_GE(t, checked, 1);
}

static int parse_hex16(const char *s, unsigned int len, u16 *out)
{
	unsigned int i, v = 0;

	if (len != 4)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = v << 4 | ((c | 0x20) - 'a' + 10);
		else
			return -EINVAL;
	}
	*out = v;
	return 0;
}

/* One "VVVV:DDDD" of @len characters: found, or a failure naming it. */
static void expect_one(struct ktest *t, const char *s, unsigned int len)
{
	u16 vendor, device;

	if (len != 9 || s[4] != ':' || parse_hex16(s, 4, &vendor) ||
	    parse_hex16(s + 5, 4, &device)) {
		ktest_fail(t, __FILE__, __LINE__,
			   "ktest.pci_expect entry '%.*s' is not VVVV:DDDD",
			   (int)len, s);
		return;
	}
	if (!pci_get_device(vendor, device, NULL))
		ktest_fail(t, __FILE__, __LINE__,
			   "expected PCI device %04x:%04x not found",
			   vendor, device);
}

static void expected_devices(struct ktest *t)
{
	const char *s = pci_expect;

	if (!*s) {
		ktest_skip(t, "no ktest.pci_expect= on the command line");
		return;
	}
	while (*s) {
		unsigned int len = 0;

		while (s[len] && s[len] != ',')
			len++;
		expect_one(t, s, len);
		s += len;
		if (*s == ',')
			s++;
	}
}

/* Through ECAM, the first extended capability is found where it is. */
static void check_first_ext_cap(struct ktest *t, const struct pci_dev *dev)
{
	u32 header;

	if (!pci_ecam_covers(dev->segment, dev->bus) ||
	    pci_read_config_dword(dev, PCI_EXT_CAP_START, &header) ||
	    !header || header == ~0U)
		return;
	KTEST_EXPECT_EQ(t, pci_find_ext_capability(dev, PCI_EXT_CAP_ID(header)),
			PCI_EXT_CAP_START);
}

/* Cached capability offsets point at capabilities of the right id. */
static void capabilities(struct ktest *t)
{
	struct pci_dev *dev;
	u8 id;

	for_each_pci_dev(dev) {
		if (dev->msi_cap) {
			pci_read_config_byte(dev, dev->msi_cap, &id);
			KTEST_EXPECT_EQ(t, id, PCI_CAP_ID_MSI);
		}
		if (dev->msix_cap) {
			pci_read_config_byte(dev, dev->msix_cap, &id);
			KTEST_EXPECT_EQ(t, id, PCI_CAP_ID_MSIX);
			KTEST_EXPECT_GE(t, pci_msix_vec_count(dev), 1);
		}
		if (dev->pcie_cap) {
			pci_read_config_byte(dev, dev->pcie_cap, &id);
			KTEST_EXPECT_EQ(t, id, PCI_CAP_ID_EXP);
			check_first_ext_cap(t, dev);
		}
		KTEST_EXPECT_EQ(t, pci_find_capability(dev, 0xfe), 0);
	}
}

/* An endpoint no driver owns that has @cap, or NULL. */
static struct pci_dev *free_endpoint_with(u8 cap)
{
	struct pci_dev *dev;

	for_each_pci_dev(dev)
		if (!dev->driver && dev->hdr_type == PCI_HEADER_TYPE_NORMAL &&
		    (cap == PCI_CAP_ID_MSIX ? dev->msix_cap : dev->msi_cap))
			return dev;
	return NULL;
}

static void msi_test_handler(unsigned int vector, void *data)
{
}

static void check_msix(struct ktest *t, struct pci_dev *dev, int vector)
{
	unsigned int vec = vector;
	u8 *entry;
	u64 addr;
	u32 data;
	u16 ctrl;

	KTEST_ASSERT_EQ(t, pci_enable_msix(dev, &vec, 1, 0), 0);
	KTEST_EXPECT_EQ(t, pci_enable_msi(dev, vec, 0),
			dev->msi_cap ? -EBUSY : -ENODEV);
	pci_read_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, &ctrl);
	KTEST_EXPECT_TRUE(t, ctrl & PCI_MSIX_FLAGS_ENABLE);
	KTEST_EXPECT_FALSE(t, ctrl & PCI_MSIX_FLAGS_MASKALL);
	msi_compose_msg(vec, 0, &addr, &data);
	entry = dev->msix_table;
	KTEST_EXPECT_EQ(t, readl(entry + PCI_MSIX_ENTRY_LOWER_ADDR), (u32)addr);
	KTEST_EXPECT_EQ(t, readl(entry + PCI_MSIX_ENTRY_UPPER_ADDR),
			(u32)(addr >> 32));
	KTEST_EXPECT_EQ(t, readl(entry + PCI_MSIX_ENTRY_DATA), data);
	KTEST_EXPECT_EQ(t, readl(entry + PCI_MSIX_ENTRY_VECTOR_CTRL) &
			PCI_MSIX_ENTRY_CTRL_MASKBIT, 0);
	pci_disable_msix(dev);
	pci_read_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, &ctrl);
	KTEST_EXPECT_FALSE(t, ctrl & PCI_MSIX_FLAGS_ENABLE);
	KTEST_EXPECT_NULL(t, dev->msix_table);
}

static void check_msi(struct ktest *t, struct pci_dev *dev, int vector)
{
	u16 ctrl, got_data;
	u32 lo, data;
	u64 addr;

	KTEST_ASSERT_EQ(t, pci_enable_msi(dev, vector, 0), 0);
	pci_read_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, &ctrl);
	KTEST_EXPECT_TRUE(t, ctrl & PCI_MSI_FLAGS_ENABLE);
	msi_compose_msg(vector, 0, &addr, &data);
	pci_read_config_dword(dev, dev->msi_cap + PCI_MSI_ADDRESS_LO, &lo);
	pci_read_config_word(dev, dev->msi_cap + (ctrl & PCI_MSI_FLAGS_64BIT ?
				 PCI_MSI_DATA_64 : PCI_MSI_DATA_32), &got_data);
	KTEST_EXPECT_EQ(t, lo, (u32)addr);
	KTEST_EXPECT_EQ(t, got_data, (u16)data);
	pci_disable_msi(dev);
	pci_read_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, &ctrl);
	KTEST_EXPECT_FALSE(t, ctrl & PCI_MSI_FLAGS_ENABLE);
}

/*
 * Program MSI-X and MSI on functions no driver owns, check what reached
 * the device, and turn it off again.  Nothing triggers an interrupt.
 */
static void msi_programming(struct ktest *t)
{
	struct pci_dev *msix = free_endpoint_with(PCI_CAP_ID_MSIX);
	struct pci_dev *msi = free_endpoint_with(PCI_CAP_ID_MSI);
	u16 cmd;
	int vector;

	if (!msix && !msi) {
		ktest_skip(t, "no driverless function with MSI or MSI-X");
		return;
	}
	vector = irq_alloc_vector(msi_test_handler, NULL, "pci-ktest");
	KTEST_ASSERT_GE(t, vector, 32);
	if (msix) {
		pci_read_config_word(msix, PCI_COMMAND, &cmd);
		KTEST_EXPECT_EQ(t, pci_enable_device(msix), 0);
		check_msix(t, msix, vector);
		pci_write_config_word(msix, PCI_COMMAND, cmd);
	}
	if (msi) {
		pci_read_config_word(msi, PCI_COMMAND, &cmd);
		check_msi(t, msi, vector);
		pci_write_config_word(msi, PCI_COMMAND, cmd);
	}
	irq_free_vector(vector);
}

static void driver_model(struct ktest *t)
{
	struct pci_dev *dev = ktest_bound_dev;
	u16 cmd;

	KTEST_ASSERT_NOT_NULL(t, dev);
	KTEST_EXPECT_EQ(t, dev->driver == &pci_ktest_driver, 1);
	KTEST_EXPECT_EQ(t, ktest_bound_data, PCI_KTEST_DRIVER_DATA);

	pci_read_config_word(dev, PCI_COMMAND, &cmd);
	pci_unbind_driver(dev);
	pci_write_config_word(dev, PCI_COMMAND, cmd);
	KTEST_EXPECT_TRUE(t, ktest_removed);
	KTEST_EXPECT_NULL(t, dev->driver);
}

static const struct ktest_case pci_cases[] = {
	KTEST_CASE(host_bridge),
	KTEST_CASE(vendors_valid),
	KTEST_CASE(bars_sane),
	KTEST_CASE(legacy_matches_ecam),
	KTEST_CASE(expected_devices),
	KTEST_CASE(capabilities),
	KTEST_CASE(msi_programming),
	KTEST_CASE(driver_model),
	{}
};
KTEST_SUITE(pci, pci_cases);
