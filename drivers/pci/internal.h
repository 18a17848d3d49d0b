/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private interface of drivers/pci, grouped by the file that defines it.
 *
 *   access.c  configuration mechanisms: legacy ports and ECAM
 *   probe.c   enumeration, BAR sizing, the device list
 *   cap.c     capability list walks           (host-tested)
 *   decode.c  BAR decoding and id matching     (pure, host-tested)
 *   msi.c     MSI and MSI-X
 *   driver.c  driver matching, pci_init()
 */
#ifndef _DRIVERS_PCI_INTERNAL_H
#define _DRIVERS_PCI_INTERNAL_H

#include <lego/list.h>
#include <lego/pci.h>
#include <lego/types.h>

/* access.c: one way of reaching configuration space. */
struct pci_config_ops {
	const char *name;
	int (*read)(u16 seg, u8 bus, u8 devfn, int where, int size, u32 *val);
	int (*write)(u16 seg, u8 bus, u8 devfn, int where, int size, u32 val);
};

extern const struct pci_config_ops pci_conf1_ops;
extern const struct pci_config_ops pci_ecam_ops;

/* Find the mechanisms: ports 0xcf8/0xcfc and the MCFG's ECAM windows. */
int pci_access_init(void);
bool pci_conf1_present(void);
/* An ECAM window covers @seg/@bus (its mapping may still fail). */
bool pci_ecam_covers(u16 seg, u8 bus);
/* The mechanism used for @seg/@bus, or NULL. */
const struct pci_config_ops *pci_config_ops_for(u16 seg, u8 bus);

/* probe.c */
extern struct list_head pci_devices;
void pci_scan_all(void);

/* decode.c */
void pci_decode_bar(u64 orig, u64 sized, struct pci_bar *bar);
bool pci_match_one(const struct pci_device_id *id, const struct pci_dev *dev);
bool pci_id_table_end(const struct pci_device_id *id);

#endif /* _DRIVERS_PCI_INTERNAL_H */
