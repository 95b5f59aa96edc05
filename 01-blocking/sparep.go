// A spare P for the Go scheduler, where one goroutine blocks in a system
// call per round trip (chapters 01 and 05).
package main

import (
	"os"
	"runtime"
)

// keepSpareP makes sure the Go scheduler has a P to spare, even on one CPU,
// unless the GOMAXPROCS variable says how many it wants.
//
// A P is the runtime's licence to run Go code: GOMAXPROCS of them, by
// default one per CPU the process may use. Our recv blocks in the system
// call read(2) (recv on Winsock) through Go's wrapper (entersyscall before,
// exitsyscall after), which lets the goroutine keep its P while its thread
// sleeps in the kernel. The runtime's monitor thread, sysmon, looks at such
// a P (every 20 µs while it finds work, backing off to 10 ms when it does
// not) and takes it back for other work once the call has lasted past one
// look, unless another P is idle anyway (retake in runtime/proc.go).
// On one CPU (taskset -c 0, a container's limit) GOMAXPROCS is 1, no P is
// ever idle, so every recv that waits for the client loses its P, the
// return from the call has to get one back, and sysmon, finding something
// to take every time, keeps waking every 20 µs on the CPU the server and its
// client share. With a spare P idle while we wait, sysmon leaves ours alone
// for up to 10 ms and sleeps longer and longer. Chapter 01's lesson
// measures both (01-blocking/README.md, "What a blocking call costs in
// Go"). With two CPUs or more nothing changes.
func keepSpareP() {
	if os.Getenv("GOMAXPROCS") == "" && runtime.GOMAXPROCS(0) < 2 {
		runtime.GOMAXPROCS(2)
	}
}
