package dev.messenger.push.decision;

/**
 * What the store says about one device and conversation when a job falls due.
 *
 * @param registered whether the device has a push registration
 * @param deliveredSeq the device's delivered cursor in the conversation (0: none)
 * @param notifiedSeq the highest seq of the conversation this device was notified of (0: none)
 * @param latestQueuedSeq the highest seq of the conversation queued for this device (0: none)
 * @param mutedUntilMs the conversation is muted for the user until then (0: not muted)
 * @param showPreviews whether the user allows message text in notifications
 * @param unreadElsewhere unread messages of the user in the other conversations
 * @param readSeq the user's read marker in this conversation (0: none)
 */
public record DeviceFacts(
    boolean registered,
    long deliveredSeq,
    long notifiedSeq,
    long latestQueuedSeq,
    long mutedUntilMs,
    boolean showPreviews,
    long unreadElsewhere,
    long readSeq) {}
