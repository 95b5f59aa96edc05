package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
)

// serveNet is the reference: the same protocols written the way Go
// programs usually are, with package net and a goroutine per connection,
// which Go's runtime multiplexes over epoll (kqueue, IOCP) for us.
//
//	bench netserver -proto echo|line -addr HOST:PORT
func serveNet(args []string) int {
	flags := flag.NewFlagSet("netserver", flag.ContinueOnError)
	proto := flags.String("proto", "echo", "echo or line")
	addr := flags.String("addr", "127.0.0.1:0", "")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	serve := map[string]func(net.Conn){"echo": echoConn, "line": lineConn}[*proto]
	if serve == nil {
		fmt.Fprintf(os.Stderr, "netserver: unknown protocol %q\n", *proto)
		return 2
	}
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("listening on %v\n", listener.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		listener.Close()
	}()
	for {
		conn, err := listener.Accept()
		if err != nil {
			return 0
		}
		go serve(conn)
	}
}

func echoConn(conn net.Conn) {
	defer conn.Close()
	buf := make([]byte, 16<<10)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func lineConn(conn net.Conn) {
	defer conn.Close()
	in := bufio.NewReaderSize(conn, 64<<10)
	out := bufio.NewWriterSize(conn, 64<<10)
	for {
		text, err := in.ReadSlice('\n')
		if err != nil {
			return
		}
		if string(text) == "quit\n" {
			out.WriteString("quit\n")
			out.Flush()
			return
		}
		out.WriteString(linePrefix)
		out.Write(text)
		if in.Buffered() == 0 { // reply now unless more lines are waiting
			if err := out.Flush(); err != nil {
				return
			}
		}
	}
}
