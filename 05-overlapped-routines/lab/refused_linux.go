//go:build linux

// When the kernel refuses a call, we say why, and we blame the kernel only
// when its release (uname -r) is older than what the call needs: on a new
// kernel an EINVAL for a recv comes from the entry postRecv wrote, and the
// line names what in it is wrong.
package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// The ioprio bits a recv takes (<linux/io_uring.h>).
const (
	IORING_RECVSEND_POLL_FIRST = 1 << 0
	IORING_RECVSEND_BUNDLE     = 1 << 4
	recvIoprio                 = IORING_RECVSEND_POLL_FIRST | IORING_RECV_MULTISHOT | IORING_RECVSEND_BUNDLE
)

// kernelVersion returns the running kernel's release, such as
// "6.18.4-arch1", which uname(2) reports and proc(5) shows in
// /proc/sys/kernel/osrelease, and its major and minor numbers (0, 0 if
// unreadable).
func kernelVersion() (release string, major, minor int) {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return "unknown", 0, 0
	}
	release = strings.TrimSpace(string(b))
	fmt.Sscanf(release, "%d.%d", &major, &minor)
	return release, major, minor
}

// olderThan says whether this kernel is older than Linux major.minor (if
// its release cannot be read, we do not blame it).
func olderThan(major, minor int) (bool, string) {
	release, m, n := kernelVersion()
	return m > 0 && (m < major || m == major && n < minor), release
}

// needsNewerKernel adds to the error of a call this kernel refused what
// the lab needs, if the kernel is older than that; else what else the
// refusal may mean (why, which may be empty).
func needsNewerKernel(err error, why string) error {
	if old, release := olderThan(6, 0); old {
		return fmt.Errorf("%w: this lab needs Linux 6.0 or later, and this is Linux %s", err, release)
	}
	if why == "" {
		return err
	}
	return fmt.Errorf("%w: %s", err, why)
}

// refused ends the server when the kernel refuses the recv that postRecv
// wrote for cn: with EINVAL, as the kernel checks the entry, or with
// ENOBUFS at once, because the entry names no ring of ours.
func (srv *server) refused(cn *conn, errno unix.Errno) {
	err := failed("IORING_OP_RECV", cn.peer, errno)
	srv.fail(needsNewerKernel(err, wrongInRecv(cn.recvEntry)))
	cn.ending = true
}

// wrongInRecv says what in a recv entry makes a kernel of Linux 6.0 or
// later refuse it; see io_uring_prep_recv_multishot(3).
func wrongInRecv(e sqe) string {
	multishot := e.ioprio&IORING_RECV_MULTISHOT != 0
	switch {
	case e.ioprio&^recvIoprio != 0:
		return fmt.Sprintf("postRecv set q.ioprio to %#x, which has bits a recv does not take: "+
			"a multishot recv has q.ioprio = IORING_RECV_MULTISHOT (%#x)", e.ioprio, IORING_RECV_MULTISHOT)
	case multishot && e.flags&IOSQE_BUFFER_SELECT == 0:
		return "postRecv set IORING_RECV_MULTISHOT without IOSQE_BUFFER_SELECT in q.flags: a multishot recv " +
			"takes its buffers from the ring, so it needs q.flags = IOSQE_BUFFER_SELECT and q.bufGroup = bufferGroup"
	case e.flags&IOSQE_BUFFER_SELECT != 0 && e.bufGroup != bufferGroup:
		return fmt.Sprintf("postRecv named buffer group %d in q.bufGroup, and our ring is bufferGroup (%d)",
			e.bufGroup, bufferGroup)
	case multishot && e.len != 0:
		return fmt.Sprintf("postRecv set q.len to %d: a multishot recv takes its length from the ring's buffers, "+
			"so q.len must be 0", e.len)
	case multishot && e.opFlags&unix.MSG_WAITALL != 0:
		return "postRecv set MSG_WAITALL in q.opFlags, which a multishot recv refuses"
	}
	return fmt.Sprintf("the kernel refused the recv as postRecv wrote it (flags %#x, ioprio %#x, addr %#x, len %d, "+
		"opFlags %#x, bufGroup %d): compare it with io_uring_prep_recv_multishot(3)",
		e.flags, e.ioprio, e.addr, e.len, e.opFlags, e.bufGroup)
}

// queuedRecv is a recv entry postRecv has filled in, not yet submitted.
type queuedRecv struct {
	cn    *conn
	entry *sqe
}

// submit hands the queued requests to the kernel and waits for
// minComplete completions (ring.enter). It first keeps a copy of each recv
// as postRecv wrote it, since its slot is reused once submitted: refused
// explains from it why the kernel turned it down.
func (srv *server) submit(minComplete uint32) error {
	for _, r := range srv.queued {
		r.cn.recvEntry = *r.entry
	}
	srv.queued = srv.queued[:0]
	return srv.ring.enter(minComplete)
}
