#!/usr/bin/env python3
"""A hostile vfio-user client that hands the server a saturated, blocking
eventfd as its INTx interrupt and makes the device raise it 50
times. Every reply must come within 5 s: a server that wrote the saturated
eventfd would freeze. The server must leave the shared file description's
flags alone (this end reads it blocking); once this end drains the counter,
one more raise must arrive as a count of 1.

Usage: eventfd_attack.py SOCKET   (exit 0: every reply came; 2: a stall)
Python 3.10+ (os.eventfd). Used by test/hostile.test.ts.
"""
import fcntl
import json
import os
import select
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
    results['flags_kept'] = not bool(fcntl.fcntl(efd, fcntl.F_GETFL) & os.O_NONBLOCK)
    results['drained_saturated'] = os.eventfd_read(efd) == 0xFFFFFFFFFFFFFFFE
    sock.sendall(message(100, REGION_WRITE, raise_intx))
    results['after_draining'] = reply(sock)[3]
    ready, _, _ = select.select([efd], [], [], 5)
    results['signalled'] = os.eventfd_read(efd) if ready else 0
    print(json.dumps(results))
    sock.close()
    os.close(efd)


if __name__ == '__main__':
    try:
        main()
    except socket.timeout:
        print('STALL: no reply within 5 s')
        sys.exit(2)
