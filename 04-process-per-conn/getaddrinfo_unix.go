//go:build unix

// getaddrinfo is the one call of the seed that x/sys/unix does not have: it is
// a C library function (it reads /etc/hosts, asks DNS, sorts the answers), not
// a system call. Go's net package holds the resolver that does the same work,
// so this file asks it for addresses, and only for addresses: every socket
// call stays in sock_unix.go, made through x/sys.
package main

import (
	"context"
	"errors"
	"net"
	"net/netip"
)

// resolve wraps getaddrinfo(3) on POSIX and GetAddrInfoW on Winsock. With
// passive and no host it returns the wildcard address (AI_PASSIVE); family
// afINET asks for IPv4 only, 0 for any family (AF_UNSPEC).
func resolve(host string, port uint16, family int, passive bool) ([]netip.AddrPort, error) {
	if host == "" && passive {
		return []netip.AddrPort{netip.AddrPortFrom(netip.IPv4Unspecified(), port)}, nil
	}
	// An IPv6 address with IPv4-only hints (AF_INET): glibc's getaddrinfo
	// fails with EAI_ADDRFAMILY, where Go's resolver says "no suitable
	// address found"; we answer as glibc does.
	ip, err := netip.ParseAddr(host)
	if err == nil && family == afINET && ip.Is6() && !ip.Is4In6() {
		return nil, &namedError{name: "EAI_ADDRFAMILY", message: "address family for hostname not supported"}
	}
	network := "ip"
	if family == afINET {
		network = "ip4"
	}
	ips, err := net.DefaultResolver.LookupNetIP(context.Background(), network, host)
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return nil, &namedError{name: "EAI_NONAME", message: "no such host"}
	}
	if err != nil {
		// The caller names the host: we keep only the resolver's words.
		message := err.Error()
		var addrErr *net.AddrError
		switch {
		case errors.As(err, &dnsErr):
			message = dnsErr.Err
		case errors.As(err, &addrErr):
			message = addrErr.Err
		}
		return nil, &namedError{name: "EAI_FAIL", message: message}
	}
	var addrs []netip.AddrPort
	for _, ip := range ips {
		addrs = append(addrs, netip.AddrPortFrom(ip.Unmap(), port))
	}
	return addrs, nil
}
