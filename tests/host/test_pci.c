// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the pure parts of drivers/pci: BAR decoding and id
 * matching (decode.c), and the capability walks (cap.c) over a fake
 * configuration space, including lists that loop or point into the header.
 */
#include "host_test.h"
#include "lego_host_rename.h"
#include <lego/errno.h>
#include <lego/pci.h>
#include <lego/string.h>

#include "../../drivers/pci/internal.h"

/* ---- a fake function's configuration space ----------------------------- */

static u8 cfg[PCI_CFG_SPACE_EXP_SIZE];
static int cfg_limit;			/* 256: legacy only, 4096: ECAM */
static unsigned int cfg_reads;

static int cfg_read(int where, int size, u32 *val)
{
	int i;

	cfg_reads++;
	*val = 0;
	if (where < 0 || where + size > cfg_limit || (where & (size - 1))) {
		*val = ~0U;
		return -EINVAL;
	}
	for (i = size - 1; i >= 0; i--)
		*val = *val << 8 | cfg[where + i];
	return 0;
}

int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val)
{
	u32 v;
	int ret = cfg_read(where, 1, &v);

	(void)dev;
	*val = v;
	return ret;
}

int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val)
{
	u32 v;
	int ret = cfg_read(where, 2, &v);

	(void)dev;
	*val = v;
	return ret;
}

int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val)
{
	(void)dev;
	return cfg_read(where, 4, val);
}

static void put16(int where, u16 v)
{
	cfg[where] = v;
	cfg[where + 1] = v >> 8;
}

static void put32(int where, u32 v)
{
	put16(where, v);
	put16(where + 2, v >> 16);
}

static void cap(int pos, u8 id, u8 next)
{
	cfg[pos] = id;
	cfg[pos + 1] = next;
}

static void ext_cap(int pos, u16 id, int next)
{
	put32(pos, (u32)next << 20 | 1U << 16 | id);
}

static struct pci_dev dev;

static int setup(void **state)
{
	(void)state;
	memset(cfg, 0, sizeof(cfg));
	memset(&dev, 0, sizeof(dev));
	cfg_limit = PCI_CFG_SPACE_EXP_SIZE;
	cfg_reads = 0;
	put16(PCI_STATUS, PCI_STATUS_CAP_LIST);
	cfg[PCI_CAPABILITY_LIST] = 0x40;
	return 0;
}

/* ---- BAR decoding -------------------------------------------------------- */

static void test_bar_mem32(void **state)
{
	struct pci_bar b;

	(void)state;
	pci_decode_bar(0xfebc0000, 0xfffe0000, &b);
	assert_int_equal(b.flags, PCI_BAR_MEM);
	assert_int_equal(b.start, 0xfebc0000);
	assert_int_equal(b.size, 128 * 1024);

	pci_decode_bar(0xfd000008, 0xff000008, &b);
	assert_int_equal(b.flags, PCI_BAR_MEM | PCI_BAR_PREFETCH);
	assert_int_equal(b.start, 0xfd000000);
	assert_int_equal(b.size, 16 << 20);

	/* 2 GiB, the largest a 32-bit BAR can be */
	pci_decode_bar(0x80000000, 0x80000000, &b);
	assert_int_equal(b.size, 0x80000000ULL);
}

static void test_bar_mem64(void **state)
{
	struct pci_bar b;

	(void)state;
	pci_decode_bar(0xfe00000c, 0xffffffffffffc00cULL, &b);
	assert_int_equal(b.flags,
			 PCI_BAR_MEM | PCI_BAR_MEM64 | PCI_BAR_PREFETCH);
	assert_int_equal(b.start, 0xfe000000);
	assert_int_equal(b.size, 16 * 1024);

	/* Above 4 GiB, and larger than 4 GiB */
	pci_decode_bar(0x0000000800000004ULL, 0xfffffffe00000004ULL, &b);
	assert_int_equal(b.flags, PCI_BAR_MEM | PCI_BAR_MEM64);
	assert_int_equal(b.start, 0x800000000ULL);
	assert_int_equal(b.size, 8ULL << 30);
}

static void test_bar_io(void **state)
{
	struct pci_bar b;

	(void)state;
	pci_decode_bar(0xc001, 0xffffffc1, &b);
	assert_int_equal(b.flags, PCI_BAR_IO);
	assert_int_equal(b.start, 0xc000);
	assert_int_equal(b.size, 64);

	/* A 16-bit decoder hardwires the upper half to zero. */
	pci_decode_bar(0xc041, 0x0000ffe1, &b);
	assert_int_equal(b.start, 0xc040);
	assert_int_equal(b.size, 32);
}

static void test_bar_absent(void **state)
{
	struct pci_bar b;

	(void)state;
	pci_decode_bar(0, 0, &b);
	assert_int_equal(b.flags, 0);
	assert_int_equal(b.size, 0);
	/* Only type bits read back: still nothing there. */
	pci_decode_bar(0x8, 0x8, &b);
	assert_int_equal(b.size, 0);
	pci_decode_bar(0x1, 0x1, &b);
	assert_int_equal(b.size, 0);
}

/* ---- id matching --------------------------------------------------------- */

static const struct pci_device_id ids[] = {
	{ PCI_DEVICE(0x8086, 0x100e), .driver_data = 1 },
	{ PCI_DEVICE(0x1af4, PCI_ANY_ID), .driver_data = 2 },
	{ PCI_DEVICE_CLASS(0x020000, 0xffff00), .driver_data = 3 },
	{ .vendor = 0x15b3, .device = 0x1003, .subvendor = 0x15b3,
	  .subdevice = PCI_ANY_ID, .driver_data = 4 },
	{ }
};

static const struct pci_device_id *match(u16 v, u16 d, u32 class, u16 sv)
{
	struct pci_dev p = {
		.vendor = v, .device = d, .class = class,
		.subsystem_vendor = sv,
	};

	return pci_match_id(ids, &p);
}

static void test_match(void **state)
{
	(void)state;
	assert_int_equal(match(0x8086, 0x100e, 0x020000, 0)->driver_data, 1);
	assert_int_equal(match(0x1af4, 0x1000, 0x020000, 0)->driver_data, 2);
	assert_int_equal(match(0x10ec, 0x8139, 0x020000, 0)->driver_data, 3);
	assert_int_equal(match(0x10ec, 0x8139, 0x0200ff, 0)->driver_data, 3);
	assert_null(match(0x10ec, 0x8139, 0x020100, 0));
	assert_int_equal(match(0x15b3, 0x1003, 0x028000, 0x15b3)->driver_data,
			 4);
	assert_null(match(0x15b3, 0x1003, 0x028000, 0x1014));
	assert_null(match(0x8086, 0x100f, 0x010000, 0));
	assert_true(pci_id_table_end(&ids[ARRAY_SIZE(ids) - 1]));
	assert_false(pci_id_table_end(&ids[2]));
	assert_null(pci_match_id(NULL, &dev));
}

/* ---- capability walks ---------------------------------------------------- */

static void test_caps_chain(void **state)
{
	(void)state;
	cap(0x40, PCI_CAP_ID_PM, 0x50);
	cap(0x50, PCI_CAP_ID_MSI, 0x60);
	cap(0x60, PCI_CAP_ID_VNDR, 0x70);
	cap(0x70, PCI_CAP_ID_VNDR, 0x80);
	cap(0x80, PCI_CAP_ID_MSIX, 0);

	assert_int_equal(pci_find_capability(&dev, PCI_CAP_ID_PM), 0x40);
	assert_int_equal(pci_find_capability(&dev, PCI_CAP_ID_MSI), 0x50);
	assert_int_equal(pci_find_capability(&dev, PCI_CAP_ID_MSIX), 0x80);
	assert_int_equal(pci_find_capability(&dev, PCI_CAP_ID_EXP), 0);
	assert_int_equal(pci_find_capability(&dev, PCI_CAP_ID_VNDR), 0x60);
	assert_int_equal(pci_find_next_capability(&dev, 0x60, PCI_CAP_ID_VNDR),
			 0x70);
	assert_int_equal(pci_find_next_capability(&dev, 0x70, PCI_CAP_ID_VNDR),
			 0);
	assert_int_equal(pci_find_next_capability(&dev, 0x10, PCI_CAP_ID_VNDR),
			 0);
}

static void test_caps_no_list(void **state)
{
	(void)state;
	cap(0x40, PCI_CAP_ID_MSI, 0);
	put16(PCI_STATUS, 0);
	assert_int_equal(pci_find_capability(&dev, PCI_CAP_ID_MSI), 0);
}

static void test_caps_low_bits_and_header_pointer(void **state)
{
	(void)state;
	cfg[PCI_CAPABILITY_LIST] = 0x43;	/* reserved low bits set */
	cap(0x40, PCI_CAP_ID_PM, 0x20);		/* points into the header */
	put16(0x20, PCI_CAP_ID_MSI);
	assert_int_equal(pci_find_capability(&dev, PCI_CAP_ID_PM), 0x40);
	assert_int_equal(pci_find_capability(&dev, PCI_CAP_ID_MSI), 0);
}

static void test_caps_loop(void **state)
{
	(void)state;
	cap(0x40, PCI_CAP_ID_PM, 0x50);
	cap(0x50, PCI_CAP_ID_MSI, 0x40);	/* cycle */
	assert_int_equal(pci_find_capability(&dev, PCI_CAP_ID_MSIX), 0);
	assert_true(cfg_reads <= PCI_FIND_CAP_TTL + 4);

	cfg_reads = 0;
	cap(0x40, PCI_CAP_ID_PM, 0x40);		/* points at itself */
	assert_int_equal(pci_find_capability(&dev, PCI_CAP_ID_MSIX), 0);
	assert_true(cfg_reads <= PCI_FIND_CAP_TTL + 4);
}

static void test_caps_absent_device(void **state)
{
	(void)state;
	memset(cfg, 0xff, 256);			/* nothing answers */
	assert_int_equal(pci_find_capability(&dev, PCI_CAP_ID_MSI), 0);
	assert_true(cfg_reads <= 4);
}

static void test_caps_cardbus(void **state)
{
	(void)state;
	dev.hdr_type = PCI_HEADER_TYPE_CARDBUS;
	cfg[PCI_CAPABILITY_LIST] = 0;
	cfg[PCI_CB_CAPABILITY_LIST] = 0x80;
	cap(0x80, PCI_CAP_ID_PM, 0);
	assert_int_equal(pci_find_capability(&dev, PCI_CAP_ID_PM), 0x80);
}

static void test_ext_caps(void **state)
{
	(void)state;
	dev.pcie_cap = 0x40;
	ext_cap(0x100, PCI_EXT_CAP_ID_ERR, 0x140);
	ext_cap(0x140, PCI_EXT_CAP_ID_DSN, 0x180);
	ext_cap(0x180, PCI_EXT_CAP_ID_ARI, 0);
	assert_int_equal(pci_find_ext_capability(&dev, PCI_EXT_CAP_ID_ERR),
			 0x100);
	assert_int_equal(pci_find_ext_capability(&dev, PCI_EXT_CAP_ID_ARI),
			 0x180);
	assert_int_equal(pci_find_ext_capability(&dev, PCI_EXT_CAP_ID_SRIOV),
			 0);

	/* Not PCIe: extended space is not looked at. */
	dev.pcie_cap = 0;
	cfg_reads = 0;
	assert_int_equal(pci_find_ext_capability(&dev, PCI_EXT_CAP_ID_ERR), 0);
	assert_int_equal(cfg_reads, 0);
}

static void test_ext_caps_malformed(void **state)
{
	(void)state;
	dev.pcie_cap = 0x40;

	ext_cap(0x100, PCI_EXT_CAP_ID_ERR, 0x100);	/* loops on itself */
	assert_int_equal(pci_find_ext_capability(&dev, PCI_EXT_CAP_ID_DSN), 0);
	assert_true(cfg_reads <= PCI_FIND_EXT_CAP_TTL + 1);

	ext_cap(0x100, PCI_EXT_CAP_ID_ERR, 0x40);	/* into legacy space */
	assert_int_equal(pci_find_ext_capability(&dev, PCI_EXT_CAP_ID_DSN), 0);

	put32(0x100, 0);				/* empty list */
	assert_int_equal(pci_find_ext_capability(&dev, 0), 0);

	put32(0x100, ~0U);				/* nothing answers */
	assert_int_equal(pci_find_ext_capability(&dev, 0xffff), 0);

	/* Legacy mechanism only: reads above 255 fail. */
	ext_cap(0x100, PCI_EXT_CAP_ID_ERR, 0);
	cfg_limit = PCI_CFG_SPACE_SIZE;
	assert_int_equal(pci_find_ext_capability(&dev, PCI_EXT_CAP_ID_ERR), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bar_mem32),
		cmocka_unit_test(test_bar_mem64),
		cmocka_unit_test(test_bar_io),
		cmocka_unit_test(test_bar_absent),
		cmocka_unit_test_setup(test_match, setup),
		cmocka_unit_test_setup(test_caps_chain, setup),
		cmocka_unit_test_setup(test_caps_no_list, setup),
		cmocka_unit_test_setup(test_caps_low_bits_and_header_pointer, setup),
		cmocka_unit_test_setup(test_caps_loop, setup),
		cmocka_unit_test_setup(test_caps_absent_device, setup),
		cmocka_unit_test_setup(test_caps_cardbus, setup),
		cmocka_unit_test_setup(test_ext_caps, setup),
		cmocka_unit_test_setup(test_ext_caps_malformed, setup),
	};

	return cmocka_run_group_tests_name("pci", tests, NULL, NULL);
}
