// SPDX-License-Identifier: GPL-2.0
/*
 * What the NIC ktest suites (virtio_net, e1000) share: find the device a
 * driver registered, compare its MAC with ktest.nic_mac=, wait for the
 * link, and the single-node loopback checks.
 *
 * One node is enough to exercise both directions: QEMU's socket mcast
 * backend loops every frame a node sends back to that node, and the core
 * drops a frame carrying our own source MAC, counting it in
 * rx_dropped_own.  The frames use the IEEE 802 local experimental
 * EtherType, so a peer on the segment ignores them.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/params.h>
#include <lego/sched.h>
#include <lego/string.h>
#include <lego/time.h>

#include <net/netdev_driver.h>

#include "internal.h"

#define NIC_TEST_ETHERTYPE	0x88b5	/* IEEE 802 local experimental 1 */
#define NIC_TEST_FRAME_LEN	60	/* the Ethernet minimum, FCS aside */
#define NIC_TEST_MAX_DEVS	16
#define NIC_TEST_LINK_MS	3000
#define NIC_TEST_RX_MS		1500
#define NIC_TEST_TRIES		3
#define NIC_TEST_BURST		600	/* more than twice a 256-entry ring */
#define NIC_TEST_WINDOW		64	/* frames in flight, well below a ring */
#define NIC_TEST_WINDOW_MS	50	/* then a frame counts as lost */
#define NIC_TEST_BURST_MS	5000
#define NIC_TEST_SETTLE_MS	500

static char nic_mac[24];
lego_param_string("ktest.nic_mac", nic_mac,
		  "MAC address the NIC ktest suites expect, aa:bb:cc:dd:ee:ff");

struct netdev *nic_test_find(const char *driver)
{
	struct netdev *dev;
	int i;

	for (i = 0; i < NIC_TEST_MAX_DEVS; i++) {
		dev = netdev_get_by_index(i);
		if (dev && dev->driver && !strcmp(dev->driver, driver))
			return dev;
	}
	return NULL;
}

static int nic_parse_mac(const char *s, u8 *mac)
{
	char part[3];
	int i;

	if (strlen(s) != 3 * ETH_ALEN - 1)
		return -EINVAL;
	for (i = 0; i < ETH_ALEN; i++) {
		if (i < ETH_ALEN - 1 && s[3 * i + 2] != ':')
			return -EINVAL;
		part[0] = s[3 * i];
		part[1] = s[3 * i + 1];
		part[2] = '\0';
		if (kstrtou8(part, 16, &mac[i]))
			return -EINVAL;
	}
	return 0;
}

void nic_test_mac(struct ktest *t, struct netdev *dev)
{
	u8 want[ETH_ALEN];

	if (!nic_mac[0]) {
		ktest_skip(t, "no ktest.nic_mac= on the command line");
		return;
	}
	if (nic_parse_mac(nic_mac, want)) {
		ktest_fail(t, __FILE__, __LINE__,
			   "ktest.nic_mac=%s is not aa:bb:cc:dd:ee:ff", nic_mac);
		return;
	}
	ktest_log(t, "%s: MAC %pM, expected %pM", dev->name, dev->mac, want);
	KTEST_EXPECT_TRUE(t, !memcmp(dev->mac, want, ETH_ALEN));
}

void nic_test_link(struct ktest *t, struct netdev *dev)
{
	unsigned int ms;

	for (ms = 0; ms < NIC_TEST_LINK_MS; ms += 10) {
		if (dev->ops->update_link)
			dev->ops->update_link(dev);
		if (dev->link_up)
			break;
		msleep(10);
	}
	KTEST_EXPECT_TRUE(t, dev->link_up);
}

static struct pktbuf *nic_test_frame_len(struct netdev *dev, u32 seq,
					 u32 len)
{
	struct pktbuf *pkt = pktbuf_alloc(NET_HEADROOM, len, GFP_KERNEL);
	u8 *f;

	if (!pkt)
		return NULL;
	f = pktbuf_put(pkt, len);
	memset(f, 0, len);
	memset(f, 0xff, ETH_ALEN);
	memcpy(f + ETH_ALEN, dev->mac, ETH_ALEN);
	f[12] = NIC_TEST_ETHERTYPE >> 8;
	f[13] = NIC_TEST_ETHERTYPE & 0xff;
	memcpy(f + ETH_HLEN, "LegoOS NIC self-test", 20);
	memcpy(f + ETH_HLEN + 20, &seq, sizeof(seq));
	memset(f + ETH_HLEN + 24, 0xa5, len - ETH_HLEN - 24);
	return pkt;
}

static struct pktbuf *nic_test_frame(struct netdev *dev, u32 seq)
{
	return nic_test_frame_len(dev, seq, NIC_TEST_FRAME_LEN);
}

/* Wait until rx_dropped_own reaches @target; a poll-mode device is polled. */
static u64 nic_wait_own(struct netdev *dev, u64 target, unsigned int max_ms)
{
	u64 deadline = ktime_get_ns() + max_ms * NSEC_PER_MSEC;

	while (READ_ONCE(dev->stats.rx_dropped_own) < target &&
	       ktime_get_ns() < deadline) {
		if (dev->rx_mode == NETDEV_RX_POLL)
			netdev_poll(dev, 64);
		else
			msleep(1);
	}
	return READ_ONCE(dev->stats.rx_dropped_own);
}

/*
 * The hub may lose a frame (its host socket overflows under someone
 * else's burst; QEMU's e1000 also ignores the wire for a second after
 * RCTL is written), so the frame is sent up to NIC_TEST_TRIES times.
 */
static void nic_test_loopback_len(struct ktest *t, struct netdev *dev,
				  u32 len)
{
	u64 own = dev->stats.rx_dropped_own, tx = dev->stats.tx_packets;
	struct pktbuf *pkt;
	unsigned int try;
	int ret;

	for (try = 1; try <= NIC_TEST_TRIES; try++) {
		pkt = nic_test_frame_len(dev, try, len);
		KTEST_ASSERT_NOT_NULL(t, pkt);
		ret = netdev_xmit(dev, pkt);
		if (ret)
			pktbuf_free(pkt);
		KTEST_ASSERT_EQ(t, ret, 0);
		KTEST_EXPECT_EQ(t, dev->stats.tx_packets, tx + try);
		if (nic_wait_own(dev, own + 1, NIC_TEST_RX_MS) > own)
			break;
	}
	if (try > 1)
		ktest_log(t, "%s: the echo came back on try %u", dev->name, try);
	KTEST_EXPECT_LE(t, try, NIC_TEST_TRIES);
}

void nic_test_loopback(struct ktest *t, struct netdev *dev)
{
	nic_test_loopback_len(t, dev, NIC_TEST_FRAME_LEN);
}

void nic_test_jumbo(struct ktest *t, struct netdev *dev)
{
	u64 errors = dev->stats.rx_errors, bytes = dev->stats.rx_bytes;
	u32 len = ETH_HLEN + dev->mtu;

	if (dev->mtu <= ETH_DATA_LEN) {
		ktest_skip(t, "MTU 1500 or less: no jumbo frames (net.mtu=)");
		return;
	}
	nic_test_loopback_len(t, dev, len);
	ktest_log(t, "%s: a %u-byte frame (MTU %u) came back", dev->name, len,
		  dev->mtu);
	KTEST_EXPECT_GE(t, dev->stats.rx_bytes - bytes, len);
	KTEST_EXPECT_EQ(t, dev->stats.rx_errors, errors);
}

/* Send one frame, retrying while the ring is full; false on error or timeout. */
static bool nic_send_retry(struct ktest *t, struct netdev *dev,
			   struct pktbuf *pkt, u64 deadline, u64 *busy)
{
	int ret;

	for (;;) {
		ret = netdev_xmit(dev, pkt);
		if (ret != -EBUSY)
			break;
		(*busy)++;
		if (ktime_get_ns() > deadline)
			break;
		if (dev->rx_mode == NETDEV_RX_POLL)
			netdev_poll(dev, 64);
		else
			yield();
	}
	if (ret) {
		ktest_fail(t, __FILE__, __LINE__, "xmit: %d", ret);
		pktbuf_free(pkt);
	}
	return !ret;
}

void nic_test_burst(struct ktest *t, struct netdev *dev)
{
	u64 own = dev->stats.rx_dropped_own, busy = 0, start, ns, got;
	u64 deadline, target, stalls = 0;
	struct pktbuf *pkt;
	u32 i;

	start = ktime_get_ns();
	deadline = start + NIC_TEST_BURST_MS * NSEC_PER_MSEC;
	for (i = 0; i < NIC_TEST_BURST; i++) {
		target = own + i - NIC_TEST_WINDOW + 1;
		if (i >= NIC_TEST_WINDOW &&
		    nic_wait_own(dev, target, NIC_TEST_WINDOW_MS) < target)
			stalls++;
		pkt = nic_test_frame(dev, i);
		KTEST_ASSERT_NOT_NULL(t, pkt);
		if (!nic_send_retry(t, dev, pkt, deadline, &busy))
			return;
	}
	got = nic_wait_own(dev, own + NIC_TEST_BURST, NIC_TEST_RX_MS) - own;
	ns = ktime_get_ns() - start;
	ktest_log(t, "%s: %u frames, at most %u in flight: %llu back in %llu ms (%llu frames/s)",
		  dev->name, NIC_TEST_BURST, NIC_TEST_WINDOW,
		  (unsigned long long)got,
		  (unsigned long long)(ns / NSEC_PER_MSEC),
		  (unsigned long long)(got * NSEC_PER_SEC / (ns ? ns : 1)));
	ktest_log(t, "%s: %llu window stalls of %u ms, %llu ring-full retries, rx_dropped_nobuf %llu, rx_errors %llu",
		  dev->name, (unsigned long long)stalls, NIC_TEST_WINDOW_MS,
		  (unsigned long long)busy,
		  (unsigned long long)dev->stats.rx_dropped_nobuf,
		  (unsigned long long)dev->stats.rx_errors);
	/* Paced below the RX ring, the hub should lose (almost) nothing. */
	KTEST_EXPECT_GE(t, got * 100, (u64)NIC_TEST_BURST * 95);
}

void nic_test_tx_flood(struct ktest *t, struct netdev *dev)
{
	u64 own = dev->stats.rx_dropped_own, tx = dev->stats.tx_packets;
	u64 busy = 0, deadline, got;
	struct pktbuf *pkt;
	u32 i;

	deadline = ktime_get_ns() + NIC_TEST_BURST_MS * NSEC_PER_MSEC;
	for (i = 0; i < NIC_TEST_BURST; i++) {
		pkt = nic_test_frame(dev, i);
		KTEST_ASSERT_NOT_NULL(t, pkt);
		if (!nic_send_retry(t, dev, pkt, deadline, &busy))
			return;
	}
	KTEST_EXPECT_EQ(t, dev->stats.tx_packets, tx + NIC_TEST_BURST);
	/* Let the hub settle; what it dropped is the harness's, not ours. */
	got = nic_wait_own(dev, own + NIC_TEST_BURST, NIC_TEST_SETTLE_MS) - own;
	ktest_log(t, "%s: %u frames unpaced: %llu ring-full retries, %llu came back",
		  dev->name, NIC_TEST_BURST, (unsigned long long)busy,
		  (unsigned long long)got);
}

void nic_test_poll_mode(struct ktest *t, struct netdev *dev)
{
	KTEST_ASSERT_EQ(t, netdev_set_rx_mode(dev, NETDEV_RX_POLL), 0);
	nic_test_loopback(t, dev);
	nic_test_burst(t, dev);
	KTEST_EXPECT_EQ(t, netdev_set_rx_mode(dev, NETDEV_RX_IRQ), 0);
	nic_test_loopback(t, dev);	/* the interrupt works again */
}
