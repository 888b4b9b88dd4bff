package plaza.assistant.model;

/** The fixed texts Plaza sends around conversation summaries (shared by the memory and plaza-local). */
public final class SummaryPrompts {

    /** Starts the system message that carries a conversation's summary into a reply request. */
    public static final String SUMMARY_PREFIX = "Summary of the earlier part of this conversation:";
    /** Starts the message that hands the existing summary to a summarization request. */
    public static final String PREVIOUS_PREFIX = "Summary so far:";
    /** The instruction of a summarization request. */
    public static final String INSTRUCTION = """
            You maintain the running summary of a conversation between a user and an assistant. \
            Fold the summary so far (if any) and the turns below into one concise summary that keeps \
            facts, names, numbers, decisions and open questions. Answer with the summary only.""";

    /** Starts a user line of the transcript a summarization request carries. */
    public static final String USER_LINE = "User: ";
    /** Starts an assistant line of that transcript. */
    public static final String ASSISTANT_LINE = "Assistant: ";

    private SummaryPrompts() {
    }
}
