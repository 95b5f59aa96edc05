//go:build solution || mutant_doublerelease || mutant_ignorestop || mutant_leakoneof || mutant_nolock || mutant_pendingsendfails || mutant_pollport || mutant_recvwhilesending || mutant_stopsonerror || mutant_workerperclient

// The reference solution of the io_uring half: one multishot recv per
// connection, fed from the ring of provided buffers. The tag of a mutant of
// the Windows half builds it too, so that such a mutant is graded beside
// this half's solution. Delete this file before handing the lab out.
package main

import "golang.org/x/sys/unix"

// postRecv queues one multishot recv on c, with no buffer of ours: the
// kernel takes one from our ring for each chunk it receives.
func postRecv(srv *server, c *conn) {
	q := srv.queue(opRecv, c)
	q.opcode, q.fd = IORING_OP_RECV, int32(c.fd)
	q.ioprio = IORING_RECV_MULTISHOT
	q.flags, q.bufGroup = IOSQE_BUFFER_SELECT, bufferGroup
}

// onRecv echoes the chunk from the buffer the completion names, and posts
// the recv again when the kernel has ended it.
func onRecv(srv *server, c *conn, res int32, flags uint32) {
	if flags&IORING_CQE_F_BUFFER != 0 {
		id := int(flags >> IORING_CQE_BUFFER_SHIFT)
		srv.echo(c, srv.bufs.buffer(id)[:res], id)
	}
	if flags&IORING_CQE_F_MORE != 0 {
		return // still armed: more completions will come
	}
	switch {
	case res > 0:
		postRecv(srv, c) // ended for a reason of the kernel's own
	case res == -int32(unix.ENOBUFS):
		srv.waitForBuffer(c)
	default:
		srv.hangUp(c, "recv", res)
	}
}

// onEchoed gives the buffer back to the ring, now that its send is done.
func onEchoed(srv *server, c *conn, buffer int) {
	srv.bufs.giveBack(buffer)
}
