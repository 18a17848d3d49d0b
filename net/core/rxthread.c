// SPDX-License-Identifier: GPL-2.0
/*
 * Registration and the receive engine of a device.
 *
 * NETDEV_RX_IRQ (the default): the driver's RX interrupt masks itself and
 * calls netdev_rx_irq(), which wakes the device's rx thread ("eth0-rx").
 * The thread polls the driver NETDEV_RX_BUDGET frames at a time, yielding
 * between full batches, and re-enables the interrupt once a poll comes
 * back short.  Frames that arrive between the last poll and the enable
 * are the driver's to report (netdev_driver.h), so none is stranded.
 *
 * NETDEV_RX_POLL: the interrupt stays masked and a caller (the RDMA
 * transport, pinned to its CPU) spins on netdev_poll(); the thread sleeps.
 *
 * Either way ops->poll() runs for one caller at a time per device, so the
 * frames of a device reach the protocols in the order they arrived.
 */
#define pr_fmt(fmt) "net: " fmt

#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/sched.h>
#include <net/netdev_driver.h>

#include "../internal.h"

int netdev_poll(struct netdev *dev, int budget)
{
	int n;

	if (__atomic_exchange_n(&dev->poll_busy, 1, __ATOMIC_ACQUIRE))
		return 0;
	n = dev->ops->poll(dev, budget);
	__atomic_store_n(&dev->poll_busy, 0, __ATOMIC_RELEASE);
	if (unlikely(READ_ONCE(dev->tx_held)))
		netdev_flush_held(dev);
	return n;
}

void netdev_rx_irq(struct netdev *dev)
{
	__atomic_store_n(&dev->rx_kick, 1, __ATOMIC_RELEASE);
	if (dev->rx_thread)
		wake_up_process(dev->rx_thread);
}

/* Re-enable the RX interrupt unless a busy poller took the device. */
static void netdev_rx_irq_on(struct netdev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->mode_lock, flags);
	if (dev->rx_mode == NETDEV_RX_IRQ)
		dev->ops->irq_enable(dev, true);
	spin_unlock_irqrestore(&dev->mode_lock, flags);
}

static void netdev_rx_drain(struct netdev *dev)
{
	int n;

	do {
		if (READ_ONCE(dev->rx_mode) != NETDEV_RX_IRQ)
			return;
		n = netdev_poll(dev, NETDEV_RX_BUDGET);
		if (n >= NETDEV_RX_BUDGET && need_resched())
			schedule();
	} while (n >= NETDEV_RX_BUDGET);
	netdev_rx_irq_on(dev);
}

static int netdev_rx_thread(void *arg)
{
	struct netdev *dev = arg;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(dev->rx_stop))
			break;
		if (!__atomic_exchange_n(&dev->rx_kick, 0, __ATOMIC_ACQ_REL)) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		netdev_rx_drain(dev);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

int netdev_set_rx_mode(struct netdev *dev, enum netdev_rx_mode mode)
{
	unsigned long flags;

	if (mode != NETDEV_RX_IRQ && mode != NETDEV_RX_POLL)
		return -EINVAL;
	spin_lock_irqsave(&dev->mode_lock, flags);
	WRITE_ONCE(dev->rx_mode, mode);
	if (dev->up)
		dev->ops->irq_enable(dev, mode == NETDEV_RX_IRQ);
	spin_unlock_irqrestore(&dev->mode_lock, flags);
	if (mode == NETDEV_RX_IRQ)
		netdev_rx_irq(dev);	/* drain what came while polled */
	return 0;
}

static bool netdev_ops_valid(const struct netdev_ops *ops)
{
	return ops && ops->open && ops->xmit && ops->poll && ops->irq_enable;
}

int netdev_register(struct netdev *dev)
{
	char comm[TASK_COMM_LEN];
	int ret;

	if (!netdev_ops_valid(dev->ops)) {
		pr_err("%s driver: netdev_ops lacks a required method\n",
		       dev->driver ? dev->driver : "a");
		return -EINVAL;
	}
	if (!dev->mtu || dev->mtu > PKTBUF_MAX_SIZE - NET_HEADROOM - ETH_HLEN)
		dev->mtu = ETH_DATA_LEN;
	/* The name is needed for the thread; the list add comes last. */
	netdev_list_add(dev);
	snprintf(comm, sizeof(comm), "%s-rx", dev->name);
	dev->rx_thread = kthread_create(netdev_rx_thread, dev, comm);
	if (!dev->rx_thread) {
		ret = -ENOMEM;
		goto out_del;
	}
	dev->up = true;
	ret = dev->ops->open(dev);
	if (ret) {
		dev->up = false;
		pr_err("%s: open failed: %d\n", dev->name, ret);
		goto out_stop_thread;
	}
	if (dev->ops->update_link)
		dev->ops->update_link(dev);
	return 0;

out_stop_thread:
	WRITE_ONCE(dev->rx_stop, true);
	wake_up_process(dev->rx_thread);
	kthread_join(dev->rx_thread);
	dev->rx_thread = NULL;
out_del:
	netdev_list_del(dev);
	return ret;
}
