// AcceptEx for -accept=posted: an overlapped accept. It takes no completion
// routine, so its WSAOVERLAPPED carries an event, and the alertable wait
// becomes WaitForSingleObjectEx on that event: it returns when the accept
// is done, and, being alertable, still runs the routines of recv and send.
// https://learn.microsoft.com/windows/win32/api/mswsock/nf-mswsock-acceptex
package main

import (
	"net/netip"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var procWaitForSingleObjectEx = windows.NewLazySystemDLL("kernel32.dll").NewProc("WaitForSingleObjectEx")

// acceptRecord is what AcceptEx writes into while it is in flight: its
// WSAOVERLAPPED, and room for the two addresses (each sizeof(SOCKADDR_IN6)
// plus 16 bytes, as AcceptEx asks). It is pinned with the engine's records.
type acceptRecord struct {
	overlapped windows.Overlapped
	addresses  [2 * (28 + 16)]byte
	received   uint32
}

// postAccept makes the socket the client will be given (AcceptEx takes it
// ready-made) and posts AcceptEx on the listener.
func (e *routinesEngine) postAccept(listener *sock) error {
	if e.acceptEvent == 0 {
		ev, err := windows.CreateEvent(nil, 0, 0, nil) // auto-reset, not signalled
		if err != nil {
			return err
		}
		e.acceptEvent = ev
		e.accept = new(acceptRecord)
		e.pinner.Pin(e.accept)
	}
	addr, err := netip.ParseAddrPort(listener.label) // its family is the client's
	if err != nil {
		return err
	}
	client, err := listener.table.open(addr)
	if err != nil {
		return err
	}
	*e.accept = acceptRecord{overlapped: windows.Overlapped{HEvent: e.acceptEvent}}
	err = windows.AcceptEx(listener.h, client.h, &e.accept.addresses[0], 0, 28+16, 28+16,
		&e.accept.received, &e.accept.overlapped)
	if err == windows.ERROR_IO_PENDING {
		err = nil
	}
	if e.socks.tracing() {
		e.socks.tracef("pending", err, "AcceptEx(%v, %v, event)", listener, client)
	}
	if err != nil {
		client.close()
		return err
	}
	e.listener, e.client = listener, client
	return nil
}

// waitWithAccept is the alertable wait while an accept is posted:
// WaitForSingleObjectEx(event, timeout, TRUE). WAIT_IO_COMPLETION: routines
// ran; WAIT_OBJECT_0: the accept is done, and we run its routine.
func (e *routinesEngine) waitWithAccept(srv *server, timeout time.Duration) (int, error) {
	r, _, _ := procWaitForSingleObjectEx.Call(uintptr(e.acceptEvent), uintptr(timeout/time.Millisecond), 1)
	if r == windows.WAIT_IO_COMPLETION && e.socks.tracing() {
		e.socks.tracef("WAIT_IO_COMPLETION", nil, "WaitForSingleObjectEx(event, %d, TRUE)", timeout/time.Millisecond)
	}
	if r != uintptr(windows.WAIT_OBJECT_0) {
		return 0, nil
	}
	listener, client := e.listener, e.client
	e.listener, e.client = nil, nil
	var n uint32
	err := windows.GetOverlappedResult(listener.h, &e.accept.overlapped, &n, false)
	if err == nil {
		// The new socket takes on the listener's properties only now.
		err = windows.Setsockopt(client.h, windows.SOL_SOCKET, windows.SO_UPDATE_ACCEPT_CONTEXT,
			(*byte)(unsafe.Pointer(&listener.h)), int32(unsafe.Sizeof(listener.h)))
	}
	if e.socks.tracing() {
		e.socks.tracef("WAIT_OBJECT_0", nil, "WaitForSingleObjectEx(event, %d, TRUE)", timeout/time.Millisecond)
	}
	if err != nil {
		client.close()
		onAcceptComplete(srv, nil, err)
		return 1, nil
	}
	peer, _ := peerAddr(client.h)
	client.label = peer.Addr().String()
	onAcceptComplete(srv, client, nil)
	return 1, nil
}
