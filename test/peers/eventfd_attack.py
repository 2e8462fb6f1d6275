#!/usr/bin/env python3
"""A hostile vfio-user client that hands the server a saturated, blocking
eventfd as its INTx interrupt (issue finding F2), makes the device raise it,
then clears O_NONBLOCK on its own copy and raises it again. Every reply must
come within 5 s: a server that writes the eventfd blocking would freeze.

Usage: eventfd_attack.py SOCKET   (exit 0: every reply came; 2: a stall)
Python 3.10+ (os.eventfd). Used by test/hostile.test.ts.
"""
import fcntl
import json
import os
import socket
import struct
import sys

VERSION, SET_IRQS, REGION_WRITE = 1, 8, 10
BAR0, IRQ_RAISE = 0, 0x2C
FLAG_REPLY = 0x1
FLAG_ERROR = 0x20


def message(msg_id, cmd, body):
    return struct.pack('<HHIII', msg_id, cmd, 16 + len(body), 0, 0) + body


def reply(sock):
    head = b''
    while len(head) < 16:
        part = sock.recv(16 - len(head))
        if not part:
            raise EOFError('the server closed the connection')
        head += part
    msg_id, cmd, size, flags, error_no = struct.unpack('<HHIII', head)
    body = b''
    while len(body) < size - 16:
        part = sock.recv(size - 16 - len(body))
        if not part:
            raise EOFError('the server closed the connection')
        body += part
    return msg_id, cmd, flags, error_no


def main():
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(5)
    sock.connect(sys.argv[1])
    caps = json.dumps({'capabilities': {'max_msg_fds': 1}}).encode() + b'\0'
    sock.sendall(message(0, VERSION, struct.pack('<HH', 0, 2) + caps))
    reply(sock)
    efd = os.eventfd(0)  # blocking
    os.eventfd_write(efd, 0xFFFFFFFFFFFFFFFE)  # saturated: one more write would block
    set_irqs = struct.pack('<IIIII', 20, 0x24, 0, 0, 1)
    socket.send_fds(sock, [message(1, SET_IRQS, set_irqs)], [efd])
    results = {'set_irqs': reply(sock)[3]}
    raise_intx = struct.pack('<QII', IRQ_RAISE, BAR0, 4) + struct.pack('<I', 0)
    errors = 0
    for i in range(50):
        sock.sendall(message(2 + i, REGION_WRITE, raise_intx))
        errors += reply(sock)[3] != 0
    results['raised'] = 50
    results['raise_errors'] = errors
    results['nonblocking_after_set_irqs'] = bool(fcntl.fcntl(efd, fcntl.F_GETFL) & os.O_NONBLOCK)
    # Make the shared description blocking again and raise once more.
    flags = fcntl.fcntl(efd, fcntl.F_GETFL)
    fcntl.fcntl(efd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
    sock.sendall(message(100, REGION_WRITE, raise_intx))
    results['after_clearing'] = reply(sock)[3]
    print(json.dumps(results))
    sock.close()
    os.close(efd)


if __name__ == '__main__':
    try:
        main()
    except socket.timeout:
        print('STALL: no reply within 5 s')
        sys.exit(2)
