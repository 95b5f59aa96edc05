//go:build !solution && !mutant_doublerelease && !mutant_enobufshangup && !mutant_enobufsrepost && !mutant_eofrepost && !mutant_givebackearly && !mutant_ignorestop && !mutant_leakoneof && !mutant_nobufferselect && !mutant_nobufgroup && !mutant_nogiveback && !mutant_nolock && !mutant_norearm && !mutant_pendingsendfails && !mutant_pollport && !mutant_rearmwhilearmed && !mutant_recvwhilesending && !mutant_stopsonerror && !mutant_workerperclient && !mutant_wrongbufferid

// The part of the io_uring half you change (the Windows half's is
// starter_windows.go). As given, the server is single-shot: one
// IORING_OP_RECV per chunk received, into the connection's own buffer, and
// the next one only once that chunk is echoed. Make it multishot: one recv
// per connection, which the kernel keeps armed and feeds from the ring of
// provided buffers (srv.bufs, buffers_linux.go). The TODOs say how.
//
// Grading tests that fail on this code: TestBuffersRunOut,
// TestClientReadsLate, TestManyClients.
package main

import "unsafe"

// postRecv queues a recv on c.
//
// TODO: make it one multishot recv that takes its buffers from our ring:
//   - q.ioprio = IORING_RECV_MULTISHOT: keep receiving, one completion per chunk;
//   - q.flags = IOSQE_BUFFER_SELECT and q.bufGroup = bufferGroup: name no
//     buffer (addr and len stay 0), let the kernel take one from the ring.
func postRecv(srv *server, c *conn) {
	q := srv.queue(opRecv, c)
	q.opcode, q.fd = IORING_OP_RECV, int32(c.fd)
	q.addr, q.len = uint64(uintptr(unsafe.Pointer(&c.buf[0]))), uint32(len(c.buf))
}

// onRecv runs for each completion of a recv on c: res is what recv(2)
// would have returned (-errno when it failed), flags the completion's.
//
// TODO: with a multishot recv,
//   - the bytes are in the provided buffer whose id is
//     flags >> IORING_CQE_BUFFER_SHIFT (when flags has IORING_CQE_F_BUFFER):
//     echo them from srv.bufs.buffer(id), and pass the id along;
//   - flags without IORING_CQE_F_MORE means the kernel has ended the
//     request: after data (res > 0), post it again; at -ENOBUFS the ring ran
//     dry: srv.waitForBuffer(c) posts it again once a buffer is back; at 0
//     or another error, hang up.
func onRecv(srv *server, c *conn, res int32, flags uint32) {
	if res <= 0 {
		srv.hangUp(c, "recv", res) // 0: the client has gone
		return
	}
	srv.echo(c, c.buf[:res], ownBuffer)
}

// onEchoed runs once a chunk has been sent back in full (or dropped, when
// the connection failed). buffer is the provided buffer that held it, or
// ownBuffer.
//
// TODO: a provided buffer stays ours until we give it back, and the send
// read from it until now: srv.bufs.giveBack(buffer). The multishot recv is
// still armed, so there is nothing to post.
func onEchoed(srv *server, c *conn, buffer int) {
	// Our own buffer is free again: receive the next chunk into it.
	if !c.ending {
		postRecv(srv, c)
	}
}
