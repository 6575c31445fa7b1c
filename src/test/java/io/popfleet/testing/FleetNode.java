package io.popfleet.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.EnumSet;
import java.util.Set;

/** One simulated node of the test fleet: its own loopback address, host key, directory (its HOME) and faults. */
public final class FleetNode {

    private final int index;
    private final InetAddress address;
    private final Path home;
    private final KeyPair hostKey;
    private final KeyPair otherHostKey;
    private final Set<Fault> faults = EnumSet.noneOf(Fault.class);
    private volatile int port;

    FleetNode(int index, InetAddress address, Path home, KeyPair hostKey, KeyPair otherHostKey) {
        this.index = index;
        this.address = address;
        this.home = home;
        this.hostKey = hostKey;
        this.otherHostKey = otherHostKey;
    }

    public int index() {
        return index;
    }

    public String host() {
        return address.getHostAddress();
    }

    public int port() {
        return port;
    }

    void port(int boundPort) {
        port = boundPort;
    }

    InetAddress address() {
        return address;
    }

    InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    /** The node's working directory and HOME: the real node scripts run here. */
    public Path home() {
        return home;
    }

    public KeyPair hostKey() {
        return hostKey;
    }

    KeyPair presentedHostKey() {
        return has(Fault.WRONG_HOST_KEY) ? otherHostKey : hostKey;
    }

    public synchronized boolean has(Fault fault) {
        return faults.contains(fault);
    }

    synchronized void set(Fault fault, boolean on) {
        if (on) {
            faults.add(fault);
        } else {
            faults.remove(fault);
        }
    }
}
