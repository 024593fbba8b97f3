package org.heroesinwaiting.server.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A comma-separated list of networks, such as {@code HEROES_ADMIN_ALLOW}.
 *
 * @param blocks the networks; empty matches nothing
 */
public record CidrList(List<CidrBlock> blocks) {

    /** Copies. */
    public CidrList {
        blocks = List.copyOf(blocks);
    }

    /**
     * @param text {@code 127.0.0.1/32,::1/128}; blank for none
     * @return the list
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static CidrList parse(String text) {
        List<CidrBlock> blocks = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                blocks.add(CidrBlock.parse(part));
            }
        }
        return new CidrList(blocks);
    }

    /** @return a list that matches no address */
    public static CidrList none() {
        return new CidrList(List.of());
    }

    /**
     * @param address an address
     * @return whether any network holds it
     */
    public boolean contains(InetAddress address) {
        return blocks.stream().anyMatch(block -> block.contains(address));
    }

    @Override
    public String toString() {
        return blocks.stream().map(CidrBlock::toString).collect(Collectors.joining(","));
    }
}
