//go:build linux && !(mips || mipsle || mips64 || mips64le || ppc64 || ppc64le)

// x/sys/unix has no FIONBIO (it offers unix.SetNonblock, which uses fcntl
// instead), so we name the request ourselves. Linux numbers it 0x5421 on
// most architectures (asm-generic/ioctls.h); MIPS and PowerPC number it
// BSD's way: see fionbio_bsd.go and fionbio_mips.go.
package main

// fionbio is FIONBIO: set or clear non-blocking mode, from a pointer to int.
const fionbio = 0x5421
