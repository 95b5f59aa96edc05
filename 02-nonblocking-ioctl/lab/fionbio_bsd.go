//go:build darwin || dragonfly || freebsd || netbsd || openbsd || (linux && (ppc64 || ppc64le))

// x/sys/unix has no FIONBIO (it offers unix.SetNonblock, which uses fcntl
// instead), so we name the request ourselves. macOS and the BSDs, like
// Winsock, encode it as _IOW('f', 126, int) (sys/filio.h); so does Linux
// on PowerPC.
package main

// fionbio is FIONBIO: set or clear non-blocking mode, from a pointer to int.
const fionbio = 0x8004667e
