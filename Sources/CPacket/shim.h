#ifndef QFP_CPACKET_SHIM_H
#define QFP_CPACKET_SHIM_H

/* AF_PACKET with a TPACKET_V3 receive ring, for live ports (Sources/QFPPort).
   Glibc's Swift module does not export <linux/if_packet.h>, and the ring's structures are
   unions and bit-packed headers that Swift imports awkwardly, so the set-up and the few
   field reads live here as static inline functions. No state, no allocation. */

#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <stdint.h>
#include <arpa/inet.h>

/* What `qfp_packet_open` made: the socket, the mapped ring and the interface. */
struct qfp_packet_ring {
    int fd;
    int ifindex;
    unsigned char mac[6];
    void *ring;
    size_t ring_bytes;
    unsigned block_size;
    unsigned block_count;
};

/* Opens an AF_PACKET socket on `ifname` (all EtherTypes), switches it to TPACKET_V3, sets up
   and maps a receive ring of `block_count` blocks of `block_size` bytes (frames up to
   `frame_size`, a block retired after `retire_ms` even when not full), ignores the socket's own
   outgoing frames where the kernel supports it, and binds to the interface.
   Returns 0, or an errno value with `*step` naming the call that failed; on failure nothing
   stays open. */
static inline int qfp_packet_open(const char *ifname, unsigned block_size, unsigned block_count,
                                  unsigned frame_size, unsigned retire_ms,
                                  struct qfp_packet_ring *out, const char **step) {
    memset(out, 0, sizeof *out);
    out->fd = -1;
    unsigned ifindex = if_nametoindex(ifname);
    if (ifindex == 0) { *step = "if_nametoindex"; return errno ? errno : ENODEV; }
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) { *step = "socket(AF_PACKET, SOCK_RAW)"; return errno; }
    int err;
    int version = TPACKET_V3;
    if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) != 0) {
        *step = "setsockopt(PACKET_VERSION, TPACKET_V3)"; goto fail;
    }
    struct tpacket_req3 req;
    memset(&req, 0, sizeof req);
    req.tp_block_size = block_size;
    req.tp_block_nr = block_count;
    req.tp_frame_size = frame_size;
    req.tp_frame_nr = (block_size / frame_size) * block_count;
    req.tp_retire_blk_tov = retire_ms;
    if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) != 0) {
        *step = "setsockopt(PACKET_RX_RING)"; goto fail;
    }
    size_t bytes = (size_t)block_size * block_count;
    void *ring = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, fd, 0);
    if (ring == MAP_FAILED) {
        /* MAP_LOCKED needs RLIMIT_MEMLOCK room; the ring works unlocked too. */
        ring = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (ring == MAP_FAILED) { *step = "mmap(rx ring)"; goto fail; }
    }
#ifdef PACKET_IGNORE_OUTGOING
    int one = 1;
    (void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
#endif
    struct sockaddr_ll addr;
    memset(&addr, 0, sizeof addr);
    addr.sll_family = AF_PACKET;
    addr.sll_protocol = htons(ETH_P_ALL);
    addr.sll_ifindex = (int)ifindex;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        *step = "bind"; err = errno; munmap(ring, bytes); close(fd); return err;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0) memcpy(out->mac, ifr.ifr_hwaddr.sa_data, 6);
    out->fd = fd;
    out->ifindex = (int)ifindex;
    out->ring = ring;
    out->ring_bytes = bytes;
    out->block_size = block_size;
    out->block_count = block_count;
    return 0;
fail:
    err = errno;
    close(fd);
    return err;
}

/* Unmaps the ring and closes the socket. */
static inline void qfp_packet_close(struct qfp_packet_ring *r) {
    if (r->ring) munmap(r->ring, r->ring_bytes);
    if (r->fd >= 0) close(r->fd);
    r->ring = NULL;
    r->fd = -1;
}

/* Block `i` of the ring. */
static inline void *qfp_block(const struct qfp_packet_ring *r, unsigned i) {
    return (char *)r->ring + (size_t)i * r->block_size;
}

/* Whether the kernel handed block `b` to user space (acquire: the frames are visible). */
static inline int qfp_block_ready(const void *b) {
    const struct tpacket_block_desc *d = (const struct tpacket_block_desc *)b;
    return (__atomic_load_n(&d->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER) != 0;
}

/* Hands block `b` back to the kernel (release: our reads are done). */
static inline void qfp_block_release(void *b) {
    struct tpacket_block_desc *d = (struct tpacket_block_desc *)b;
    __atomic_store_n(&d->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
}

/* Frames in block `b`. */
static inline uint32_t qfp_block_frames(const void *b) {
    return ((const struct tpacket_block_desc *)b)->hdr.bh1.num_pkts;
}

/* The first frame header of block `b`. */
static inline const void *qfp_block_first_frame(const void *b) {
    const struct tpacket_block_desc *d = (const struct tpacket_block_desc *)b;
    return (const char *)b + d->hdr.bh1.offset_to_first_pkt;
}

/* The frame after `f` in its block (only while frames remain). */
static inline const void *qfp_frame_next(const void *f) {
    return (const char *)f + ((const struct tpacket3_hdr *)f)->tp_next_offset;
}

/* The link-layer frame's bytes and captured length. */
static inline const unsigned char *qfp_frame_data(const void *f) {
    return (const unsigned char *)f + ((const struct tpacket3_hdr *)f)->tp_mac;
}
static inline uint32_t qfp_frame_length(const void *f) {
    return ((const struct tpacket3_hdr *)f)->tp_snaplen;
}
/* Length on the wire (above the captured length when the frame did not fit a ring frame). */
static inline uint32_t qfp_frame_wire_length(const void *f) {
    return ((const struct tpacket3_hdr *)f)->tp_len;
}

/* PACKET_OUTGOING (4) when the frame was sent by this host, e.g. on kernels that ignore
   PACKET_IGNORE_OUTGOING. */
static inline int qfp_frame_is_outgoing(const void *f) {
    const struct sockaddr_ll *ll = (const struct sockaddr_ll *)((const char *)f + TPACKET_ALIGN(sizeof(struct tpacket3_hdr)));
    return ll->sll_pkttype == PACKET_OUTGOING;
}

/* Waits up to `timeout_ms` for the socket to become readable. Returns poll()'s result. */
static inline int qfp_packet_poll(int fd, int timeout_ms) {
    struct pollfd p;
    p.fd = fd;
    p.events = POLLIN | POLLERR;
    p.revents = 0;
    return poll(&p, 1, timeout_ms);
}

/* Waits up to `timeout_ms` for any of `count` sockets (at most 64) to become readable. */
static inline int qfp_packet_poll_many(const int *fds, int count, int timeout_ms) {
    struct pollfd p[64];
    if (count > 64) count = 64;
    for (int i = 0; i < count; i++) {
        p[i].fd = fds[i];
        p[i].events = POLLIN | POLLERR;
        p[i].revents = 0;
    }
    return poll(p, (nfds_t)count, timeout_ms);
}

/* Sends one frame without blocking. Returns 0 or an errno value (EAGAIN/ENOBUFS: queue full). */
static inline int qfp_packet_send(int fd, const void *frame, size_t length) {
    ssize_t n = send(fd, frame, length, MSG_DONTWAIT);
    return n < 0 ? errno : 0;
}

/* Frames the kernel dropped because the ring was full, since the last call (the kernel resets
   the count on every read). Returns 0 when the statistics cannot be read. */
static inline uint32_t qfp_packet_ring_drops(int fd) {
    struct tpacket_stats_v3 s;
    socklen_t len = sizeof s;
    memset(&s, 0, sizeof s);
    if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &s, &len) != 0) return 0;
    return s.tp_drops;
}

#endif
