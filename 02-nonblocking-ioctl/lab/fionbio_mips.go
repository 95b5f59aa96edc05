//go:build linux && (mips || mipsle || mips64 || mips64le)

// x/sys/unix has no FIONBIO, so we name the request ourselves: Linux on
// MIPS numbers it 0x667e (arch/mips/include/uapi/asm/ioctls.h).
package main

// fionbio is FIONBIO: set or clear non-blocking mode, from a pointer to int.
const fionbio = 0x667e
