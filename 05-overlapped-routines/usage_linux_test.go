//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// serverUsage finds the process listening on port (through /proc/net/tcp
// and each process's descriptors) and returns its threads, resident memory
// and open descriptors, as /proc shows them.
func serverUsage(port string) string {
	p, _ := strconv.Atoi(port)
	tcp, _ := os.ReadFile("/proc/net/tcp")
	inode := ""
	for _, line := range strings.Split(string(tcp), "\n") {
		f := strings.Fields(line)
		if len(f) > 9 && f[3] == "0A" && strings.HasSuffix(f[1], fmt.Sprintf(":%04X", p)) {
			inode = f[9] // a listening socket (state 0A) on our port
		}
	}
	links, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, link := range links {
		if target, _ := os.Readlink(link); target == "socket:["+inode+"]" {
			dir := filepath.Dir(filepath.Dir(link))
			status, _ := os.ReadFile(filepath.Join(dir, "status"))
			fds, _ := os.ReadDir(filepath.Join(dir, "fd"))
			var threads, rss string
			for _, line := range strings.Split(string(status), "\n") {
				if v, ok := strings.CutPrefix(line, "Threads:"); ok {
					threads = strings.TrimSpace(v)
				}
				if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
					rss = strings.TrimSpace(v)
				}
			}
			return fmt.Sprintf("%s OS threads, VmRSS %s, %d descriptors", threads, rss, len(fds))
		}
	}
	return "server process not found"
}
