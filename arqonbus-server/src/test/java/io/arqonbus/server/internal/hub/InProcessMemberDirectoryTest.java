package io.arqonbus.server.internal.hub;

import io.arqonbus.server.testing.ArqonBusExtension;
import java.util.List;

/** The {@link MemberDirectory} contract on one node: the hub's own members, one server asked three times. */
class InProcessMemberDirectoryTest extends MemberDirectoryContract {

    @Override
    protected List<ArqonBusExtension> startNodes() {
        ArqonBusExtension node = new ArqonBusExtension();
        node.start();
        return List.of(node, node, node);
    }
}
