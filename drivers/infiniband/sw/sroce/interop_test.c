// SPDX-License-Identifier: GPL-2.0
/*
 * ktest suite `rdma_interop`: the LegoOS side of the RDMA interoperability
 * test (Documentation/rdma-interop.md), against rdma_test.ko on a Linux
 * host with rdma_rxe, or against this suite on another LegoOS node.  The
 * protocol, the pattern and the plan are include/uapi/lego/rdma_test.h;
 * this file only drives them over sroce0.  Boot parameters, as the
 * module's:
 *
 *	rdma.interop_peer=A.B.it.D	the peer (without it: every case skips)
 *	rdma.interop_role=initiator|target	what we are in round 0
 *
 * handshake: an RC QP in INIT with its receives posted, the UDP hello on
 * RDMA_TEST_UDP_PORT (a callback answers every REQ until teardown; the
 * test thread asks every RDMA_TEST_HELLO_INTERVAL_MS until connected),
 * then RTR/RTS towards the QPN, PSN, GID and MAC of the peer's hello.
 * round_0, round_1: the plan, as initiator (PREPARE, READY, the operation,
 * VERIFY, RESULT for each operation and size, then END) or target
 * (checking every byte, the guard bytes around it and the completions).
 * A round passes only if every step passed on both sides: as initiator
 * every RESULT said ok and END went out; as target END said ok and its
 * totals equal ours.  teardown: linger (the peer may retransmit its last
 * END), then free everything.  Every wait is bounded.
 *
 * The endpoint (PD, CQs, QP, the local and control buffers) is the one
 * of test_end.c; the region the peer touches and the receive slots are
 * ours, sized as the protocol asks.  Our first PSN is close to the 24-bit
 * wrap, as the Linux module's, so both directions cross it.
 */
#include <lego/err.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/params.h>
#include <lego/sched.h>
#include <lego/slab.h>
#include <lego/string.h>
#include <lego/time.h>
#include <net/byteorder.h>
#include <net/ip.h>
#include <net/udp.h>
#include <rdma/ib_verbs.h>

#include "interop_test.h"
#include "sroce.h"

#define IT_RD_ATOMIC	4		/* READs we serve at once */
#define IT_HELLO_MS	45000		/* the whole handshake, at most */
#define IT_LINGER_MS	500		/* the receiver of the last END */
#define IT_REFUSED_MS	2000		/* answering a peer we refused */

static __be32 it_peer;
static char it_role[16];

static int it_peer_param(const char *val)
{
	return inet_parse_addr(val, &it_peer, NULL);
}
lego_param_cb("rdma.interop_peer", it_peer_param,
	      "TEST ONLY: the peer of the rdma_interop ktest suite");
lego_param_string("rdma.interop_role", it_role,
		  "TEST ONLY: initiator or target of round 0 (rdma_interop)");

struct it_ctx it;

static const char *it_role_name(u8 role)
{
	return role == RDMA_TEST_ROLE_INITIATOR ? "initiator" : "target";
}

/* ---- the handshake (part 1 of the protocol) ---------------------------------- */

__printf(1, 2) static void it_hs_error(const char *fmt, ...)
{
	va_list ap;

	if (__atomic_exchange_n(&it.hs_claim, 1, __ATOMIC_ACQ_REL))
		return;				/* the first error stays */
	va_start(ap, fmt);
	vsnprintf(it.hs_why, sizeof(it.hs_why), fmt, ap);
	va_end(ap);
	__atomic_store_n(&it.hs_err, 1, __ATOMIC_RELEASE);
}

static void it_hs_send(u16 dport, u8 type, u32 echo)
{
	struct rdma_test_hello_fields f = it.local;
	struct rdma_test_hello h;

	f.flags = __atomic_load_n(&it.ready, __ATOMIC_ACQUIRE) ?
		  RDMA_TEST_HELLO_READY : 0;
	f.type = type;
	f.echo = echo;
	rdma_test_hello_encode(&h, &f);
	udp_sendto(it.ep, it_peer, dport, &h, sizeof(h));
}

/* What makes a well-formed hello unusable; 0 if it is usable. */
static int it_hs_check(const struct rdma_test_hello_fields *f)
{
	union ib_gid gid;
	__be32 ip;

	memcpy(gid.raw, f->gid, sizeof(gid.raw));
	if (f->role == it.role) {
		it_hs_error("both sides are the %s of round 0 (give the peer the other role)",
			    it_role_name(it.role));
		return -EINVAL;
	}
	if (!rdma_gid_to_ipv4(&gid, &ip) || ip != it_peer) {
		it_hs_error("the peer's GID %pI6 is not ::ffff:%pI4, its address",
			    f->gid, &it_peer);
		return -EINVAL;
	}
	return 0;
}

static void it_hs_take(const struct rdma_test_hello_fields *f)
{
	if (!__atomic_load_n(&it.have_peer, __ATOMIC_ACQUIRE)) {
		it.peer = *f;
		__atomic_store_n(&it.have_peer, 1, __ATOMIC_RELEASE);
	} else if (f->nonce != it.peer.nonce) {
		it_hs_error("the peer restarted (its nonce changed from %08x to %08x)",
			    it.peer.nonce, f->nonce);
		return;
	}
	if ((f->flags & RDMA_TEST_HELLO_READY) && f->echo == it.local.nonce)
		__atomic_store_n(&it.connected, 1, __ATOMIC_RELEASE);
}

/* Every datagram on the port; answers REQs, even those it refuses. */
static void it_hs_rx(struct udp_endpoint *ep, struct pktbuf *pkt,
		     __be32 saddr, u16 sport)
{
	struct rdma_test_hello_fields f;
	u32 echo = 0;
	int err;

	(void)ep;
	if (saddr != it_peer) {
		it.ignored++;
		goto out;
	}
	err = rdma_test_hello_decode(pkt->data, pkt->len, &f);
	if (err == -EPROTONOSUPPORT) {
		it_hs_error("the peer speaks protocol version %u, we speak %u",
			    f.version, RDMA_TEST_VERSION);
	} else if (err) {
		it.ignored++;
		goto out;
	} else {
		if (!it_hs_check(&f))
			it_hs_take(&f);
		if (f.type != RDMA_TEST_HELLO_REQ)
			goto out;
		echo = f.nonce;
	}
	it_hs_send(sport, RDMA_TEST_HELLO_REPLY, echo);
out:
	pktbuf_free(pkt);
}

/* Ask the peer until *@flag or an error or @deadline; 0 or -errno. */
static int it_hs_wait(struct ktest *t, int *flag, const char *what,
		      u64 deadline)
{
	u64 next = 0, now;
	u32 echo;

	for (;;) {
		if (__atomic_load_n(&it.hs_err, __ATOMIC_ACQUIRE)) {
			it_fail(t, "handshake: %s", it.hs_why);
			return -EPROTO;
		}
		if (__atomic_load_n(flag, __ATOMIC_ACQUIRE))
			return 0;
		now = ktime_get_ns();
		if (now > deadline) {
			it_fail(t, "handshake: %s from %pI4 (UDP port %u) in %u s",
				what, &it_peer, RDMA_TEST_UDP_PORT,
				IT_HELLO_MS / 1000);
			return -ETIMEDOUT;
		}
		if (now >= next) {
			echo = __atomic_load_n(&it.have_peer, __ATOMIC_ACQUIRE) ?
			       it.peer.nonce : 0;
			it_hs_send(RDMA_TEST_UDP_PORT, RDMA_TEST_HELLO_REQ, echo);
			next = now + RDMA_TEST_HELLO_INTERVAL_MS * NSEC_PER_MSEC;
		}
		msleep(10);
	}
}

/* ---- verbs ------------------------------------------------------------------ */

int it_post_slot(unsigned int slot, u32 used)
{
	struct ib_sge sge = {
		.addr = (u64)(uintptr_t)it.slots[slot],
		.length = IT_MAX_MSG,
		.lkey = it.mr_slots[slot]->lkey,
	};
	struct ib_recv_wr wr = { .wr_id = IT_WR_RECV + slot, .sg_list = &sge,
				 .num_sge = 1 };

	memset(it.slots[slot], RDMA_TEST_POISON,
	       min((u32)IT_SLOT_LEN, used + RDMA_TEST_GUARD));
	return ib_post_recv(it.e.qp, &wr, NULL);
}

static struct ib_mr *it_buf(u8 **buf, u32 len, int access)
{
	struct ib_mr *mr;

	*buf = kmalloc(len, GFP_KERNEL);
	if (!*buf)
		return NULL;
	memset(*buf, RDMA_TEST_POISON, len);
	mr = ib_reg_kernel_mr(it.e.pd, *buf, len, access);
	return IS_ERR(mr) ? NULL : mr;
}

/* The region and slots, the QP in INIT with every slot posted. */
static int it_setup(void)
{
	struct ib_qp_attr a = { .qp_state = IB_QPS_INIT, .port_num = 1,
		.qp_access_flags = IB_ACCESS_LOCAL_WRITE |
				   IB_ACCESS_REMOTE_WRITE | IB_ACCESS_REMOTE_READ };
	unsigned int i;
	int err;

	it.mr_region = it_buf(&it.region, IT_REGION_LEN, a.qp_access_flags);
	if (!it.mr_region)
		return -ENOMEM;
	for (i = 0; i < IT_SLOTS; i++) {
		it.mr_slots[i] = it_buf(&it.slots[i], IT_SLOT_LEN,
				       IB_ACCESS_LOCAL_WRITE);
		if (!it.mr_slots[i])
			return -ENOMEM;
	}
	err = ib_modify_qp(it.e.qp, &a, IB_QP_STATE | IB_QP_PKEY_INDEX |
			   IB_QP_PORT | IB_QP_ACCESS_FLAGS);
	for (i = 0; !err && i < IT_SLOTS; i++)
		err = it_post_slot(i, IT_MAX_MSG);
	return err;
}

static void it_free(void)
{
	unsigned int i;

	if (it.e.qp)
		ib_destroy_qp(it.e.qp);
	it.e.qp = NULL;
	for (i = 0; i < IT_SLOTS; i++) {
		if (it.mr_slots[i])
			ib_dereg_mr(it.mr_slots[i]);
		kfree(it.slots[i]);
	}
	if (it.mr_region)
		ib_dereg_mr(it.mr_region);
	kfree(it.region);
	if (it.e.pd)
		st_end_destroy(&it.e);
}

/* RTR and RTS towards the peer of the hello (QP attributes of the protocol). */
static int it_connect(const struct rdma_test_hello_fields *p)
{
	struct ib_qp_attr a;
	union ib_gid gid;
	int err;

	memcpy(gid.raw, p->gid, sizeof(gid.raw));
	memset(&a, 0, sizeof(a));
	a.qp_state = IB_QPS_RTR;
	a.path_mtu = min(it.local.mtu, p->mtu);
	a.dest_qp_num = p->qpn;
	a.rq_psn = p->psn;
	a.max_dest_rd_atomic = min(it.local.rd_atomic, p->rd_atomic);
	a.min_rnr_timer = 12;			/* 0.64 ms */
	a.ah_attr.type = RDMA_AH_ATTR_TYPE_ROCE;
	rdma_ah_set_port_num(&a.ah_attr, 1);
	rdma_ah_set_grh(&a.ah_attr, &gid, 0, 1, 64, 0);
	memcpy(a.ah_attr.roce.dmac, p->mac, ETH_ALEN);
	err = ib_modify_qp(it.e.qp, &a, IB_QP_STATE | IB_QP_AV | IB_QP_PATH_MTU |
			   IB_QP_DEST_QPN | IB_QP_RQ_PSN |
			   IB_QP_MAX_DEST_RD_ATOMIC | IB_QP_MIN_RNR_TIMER);
	if (err)
		return err;
	memset(&a, 0, sizeof(a));
	a.qp_state = IB_QPS_RTS;
	a.sq_psn = it.local.psn;
	a.timeout = 14;
	a.retry_cnt = 7;
	a.rnr_retry = 7;
	a.max_rd_atomic = min(it.local.rd_atomic, p->rd_atomic);
	return ib_modify_qp(it.e.qp, &a, IB_QP_STATE | IB_QP_SQ_PSN |
			    IB_QP_TIMEOUT | IB_QP_RETRY_CNT | IB_QP_RNR_RETRY |
			    IB_QP_MAX_QP_RD_ATOMIC);
}

/* What we announce: QP, PSN, GID, MAC, region. */
static void it_describe(void)
{
	struct netdev *ndev = ib_device_get_netdev(it.e.dev, 1);
	struct rdma_test_hello_fields *l = &it.local;
	struct ib_port_attr port;
	union ib_gid gid;
	u32 r = rdma_test_mix32((u32)ktime_get_ns() ^ it.e.qp->qp_num);

	memset(l, 0, sizeof(*l));
	l->role = it.role;
	l->nonce = r ? r : 1;
	l->qpn = it.e.qp->qp_num;
	l->psn = IB_PSN_MASK - (rdma_test_mix32(r) & 0xfff);
	ib_query_gid(it.e.dev, 1, 1, &gid);	/* the IPv4-mapped GID */
	memcpy(l->gid, gid.raw, sizeof(l->gid));
	if (ndev)
		memcpy(l->mac, ndev->mac, ETH_ALEN);
	l->mtu = ib_query_port(it.e.dev, 1, &port) ? IB_MTU_1024 :
		 port.active_mtu;
	l->rd_atomic = IT_RD_ATOMIC;
	l->addr = (u64)(uintptr_t)it.region;
	l->rkey = it.mr_region->rkey;
	l->len = IT_REGION_LEN;
	l->max_msg = IT_MAX_MSG;
	it.e.sq_psn = l->psn;
}

/* ---- the cases ---------------------------------------------------------------- */

static bool it_configured(struct ktest *t)
{
	if (!it_peer)
		ktest_skip(t, "no rdma.interop_peer= on the command line");
	return it_peer;
}

/* Resources, the UDP port, the QP in INIT: 0, or -errno after it_fail. */
static int it_start(struct ktest *t)
{
	struct ib_device *dev = ib_device_get_by_name("sroce0");
	int err;

	if (!dev) {
		it_fail(t, "no device sroce0 (no NIC?)");
		return -ENODEV;
	}
	err = st_end_create(&it.e, dev, 0);
	if (!err)
		err = it_setup();
	if (err) {
		it_fail(t, "creating the PD, CQs, QP and %u B of MRs: %d",
			IT_REGION_LEN + IT_SLOTS * IT_SLOT_LEN, err);
		return err;
	}
	it_describe();
	it.ep = udp_bind(RDMA_TEST_UDP_PORT, it_hs_rx, NULL);
	if (IS_ERR(it.ep)) {
		err = PTR_ERR(it.ep);
		it.ep = NULL;
		it_fail(t, "binding UDP port %u: %d", RDMA_TEST_UDP_PORT, err);
	}
	return err;
}

static void handshake(struct ktest *t)
{
	u64 deadline = ktime_get_ns() + (u64)IT_HELLO_MS * NSEC_PER_MSEC;
	int err;

	if (!it_configured(t))
		return;
	if (!strcmp(it_role, "initiator")) {
		it.role = RDMA_TEST_ROLE_INITIATOR;
	} else if (!strcmp(it_role, "target")) {
		it.role = RDMA_TEST_ROLE_TARGET;
	} else {
		it_fail(t, "rdma.interop_role=%s: neither initiator nor target",
			it_role);
		return;
	}
	if (it_start(t) || it_hs_wait(t, &it.have_peer, "no hello", deadline))
		return;
	err = it_connect(&it.peer);
	if (err) {
		it_fail(t, "connecting the QP to QP %#x of %pI4: %d",
			it.peer.qpn, &it_peer, err);
		return;
	}
	__atomic_store_n(&it.ready, 1, __ATOMIC_RELEASE);
	if (it_hs_wait(t, &it.connected, "no READY hello", deadline))
		return;
	it.up = true;
	ktest_log(t, "%s of round 0: our QP %#x PSN %#x, peer %pI4 QP %#x PSN %#x MAC %pM, path MTU %d",
		  it_role_name(it.role), it.local.qpn, it.local.psn, &it_peer,
		  it.peer.qpn, it.peer.psn, it.peer.mac,
		  ib_mtu_enum_to_int(min(it.local.mtu, it.peer.mtu)));
}

static void it_round(struct ktest *t, u8 round)
{
	bool initiate = (round == 0) == (it.role == RDMA_TEST_ROLE_INITIATOR);
	u32 ops = it.ops;
	u64 bytes = it.bytes, t0 = ktime_get_ns();
	int err;

	if (!it_configured(t))
		return;
	if (!it.up || it.broken) {
		it_fail(t, "round %u: not run, the %s failed", round,
			it.up ? "previous round" : "handshake");
		return;
	}
	err = initiate ? it_initiate_round(t, round) : it_serve_round(t, round);
	if (err)
		return;
	it.last_target = round == 1 && !initiate;
	ktest_log(t, "round %u: %s, %u operations, %llu B verified, %llu ms",
		  round, initiate ? "initiator" : "target", it.ops - ops,
		  (unsigned long long)(it.bytes - bytes),
		  (unsigned long long)((ktime_get_ns() - t0) / NSEC_PER_MSEC));
}

static void round_0(struct ktest *t)
{
	it_round(t, 0);
}

static void round_1(struct ktest *t)
{
	it_round(t, 1);
	if (!t->failures && !t->skipped)
		ktest_log(t, "RDMA-INTEROP: PASS ops=%u bytes=%llu", it.ops,
			  (unsigned long long)it.bytes);
}

static void teardown(struct ktest *t)
{
	if (!it_configured(t))
		return;
	if (it.last_target)		/* the peer may retransmit its END */
		msleep(IT_LINGER_MS);
	if (__atomic_load_n(&it.hs_err, __ATOMIC_ACQUIRE))
		msleep(IT_REFUSED_MS);	/* answering, so the peer learns why */
	if (it.e.dev)
		sroce_print_stats(it.e.dev);
	if (it.ep)
		udp_unbind(it.ep);
	it.ep = NULL;
	if (it.ignored)
		ktest_log(t, "%u datagrams ignored", it.ignored);
	it_free();
	it.up = false;
}

static const struct ktest_case rdma_interop_cases[] = {
	KTEST_CASE(handshake),
	KTEST_CASE(round_0),
	KTEST_CASE(round_1),
	KTEST_CASE(teardown),
	{}
};
KTEST_SUITE(rdma_interop, rdma_interop_cases);
