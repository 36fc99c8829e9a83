# SPDX-License-Identifier: MIT
"""Sends a UDP datagram with a chosen source address, built by hand
(IP_HDRINCL), three times.  Copied into an instance by the net tests that
forge sources.  Usage: spoof_udp.py SRC DST PORT TEXT"""
import socket, struct, sys
src, dst, port, text = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].encode()
udp = struct.pack("!HHHH", 40000, port, 8 + len(text), 0) + text
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                 socket.inet_aton(src), socket.inet_aton(dst))
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
for _ in range(3):
    s.sendto(ip + udp, (dst, 0))
