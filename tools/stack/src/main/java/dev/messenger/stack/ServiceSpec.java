package dev.messenger.stack;

/** One service process of the local stack: its module, main class, and ports. */
record ServiceSpec(String name, String module, String mainClass, int grpcPort, int metricsPort) {}
