package main

// explanations closes the report: why each model scores what it scores,
// how to reproduce the figures, and what to keep in mind reading them.
const explanations = `
## Why each model scores what it scores

- **go-net** is the yardstick: a goroutine per connection, blocked in Read
  as far as the program can tell, while Go's runtime parks it and waits for
  all of them at once on epoll. Every round trip costs a read, a write, an
  epoll wake-up and two goroutine switches.
- **c-epoll** and **c-uring** are the limit: one C thread, no runtime, a
  readiness loop on epoll and a completion loop on io_uring (one receive or
  send in flight per connection, as 05's). Their sources are in
  [bench/reference](../bench/reference); they need a C compiler, and
  liburing-dev for c-uring, or the report lists them as not measured.
- **01-blocking** has one client and one thread, blocked in the system call
  itself: no poller, no scheduler, just read and write. At one connection
  only the wrapper the runtime puts around a blocking call separates it
  from C (its lesson measures it); at two it cannot serve at all.
- **02-nonblocking-ioctl** asks every socket in turn whether anything has
  arrived and sleeps its poll interval when nothing has. Its latency is the
  interval: a message waits for the next pass. With ` + "`-poll 0`" + ` it never
  sleeps, and burns a CPU whether or not anyone talks to it.
- **03-thread-per-conn** gives each client an OS thread blocked in recv: the
  kernel wakes the right thread, at the price of a thread switch per message
  and a stack per connection.
- **04-process-per-conn** does the same with a process per client: a crash
  stays in its process, and each connection costs a process start and its
  memory, and each message a switch between processes, dearer than one
  between threads: on one CPU that, not the copying, decides its 16 KiB
  rows.
- **05-overlapped-routines** hands the kernel its reads and writes and is
  told when they are done: on io_uring, one thread submits and reaps many
  operations per system call.

## Reproduce

    go run ./bench -pin -write

It takes about 15 minutes. Without ` + "`-write`" + ` the runner prints what it
measured and writes nothing, so ` + "`go run ./bench -quick`" + ` (two shapes, once,
briefly: what CI runs to prove the runner works) never replaces this page;
` + "`-only NAME,NAME`" + ` measures some servers only; ` + "`-runs`" + ` and ` + "`-duration`" + ` set
the repetitions.

## Caveats

- Loopback only: no network, no packet loss, no latency but the kernel's.
- A small machine: with two CPUs, the load generator and the server compete
  for them; ` + "`-pin`" + ` puts both on one CPU, which gives steadier figures and
  makes the CPU per round trip of server and load add up to the time of a
  round trip. The load generator's own CPU per round trip is in the table.
- Memory per connection is the server's growth from idle to loaded, divided
  by the connections: at one connection it is mostly the runtime's own
  first allocations, not the connection's.
- The clock reads CPU time in ticks of 10 ms (/proc/PID/stat), so a figure
  per round trip is good to about 10 ms over the whole run.
- A 1-connection figure varies most from one run to the next: one client,
  one round trip at a time, and nothing averages a slow stretch away.
  Compare it over several runs before you trust a ratio.
- Timings are noisy, and the absolute speed changes from machine to machine
  (the same server gave several times fewer round trips on one virtual
  machine than on another): each figure is the median of the runs, and only
  ratios measured in the same run are compared.
`
