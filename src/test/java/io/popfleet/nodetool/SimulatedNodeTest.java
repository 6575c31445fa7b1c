package io.popfleet.nodetool;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Base for script tests: each test gets its own simulated node, temp HOME, and cleanup of the node's process. */
abstract class SimulatedNodeTest {

    @TempDir
    Path temp;

    Path node;
    Path home;

    @BeforeEach
    void createNode(TestInfo info) throws Exception {
        node = temp.resolve("node");
        home = temp.resolve("home");
        java.nio.file.Files.createDirectories(home);
        PopTool.initNode(node, Math.abs(info.getDisplayName().hashCode() % 100000) + 1);
    }

    @AfterEach
    void stopNode() {
        PopTool.killNode(node);
    }

    PopTool pop() {
        return PopTool.tree().on(node).home(home);
    }
}
