// GetAddrInfoW, the Winsock resolver, is in x/sys/windows; this file turns
// its linked list of ADDRINFOW records into a slice of addresses.
package main

import (
	"net/netip"
	"strconv"
	"unsafe"

	"golang.org/x/sys/windows"
)

// resolve wraps getaddrinfo(3) on POSIX and GetAddrInfoW on Winsock. With
// passive and no host it returns the wildcard address (AI_PASSIVE); family
// afINET asks for IPv4 only, 0 for any family (AF_UNSPEC).
func resolve(host string, port uint16, family int, passive bool) ([]netip.AddrPort, error) {
	hints := windows.AddrinfoW{
		Family:   int32(family),
		Socktype: windows.SOCK_STREAM,
		Protocol: windows.IPPROTO_TCP,
	}
	if passive {
		hints.Flags = windows.AI_PASSIVE
	}
	var node *uint16 // NULL asks for the wildcard address
	if host != "" {
		node = windows.StringToUTF16Ptr(host)
	}
	service := windows.StringToUTF16Ptr(strconv.Itoa(int(port)))
	var result *windows.AddrinfoW
	if err := windows.GetAddrInfoW(node, service, &hints, &result); err != nil {
		return nil, err
	}
	defer windows.FreeAddrInfoW(result)

	var addrs []netip.AddrPort
	for ai := result; ai != nil; ai = ai.Next {
		// ai.Addr points at a sockaddr that Winsock owns; it is declared a
		// uintptr, so we read it as the pointer it is.
		rsa := (*windows.RawSockaddrAny)(*(*unsafe.Pointer)(unsafe.Pointer(&ai.Addr)))
		if sa, err := rsa.Sockaddr(); err == nil {
			addrs = append(addrs, addrPort(sa))
		}
	}
	return addrs, nil
}
