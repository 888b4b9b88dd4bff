package plaza.assistant.model;

import java.util.function.Consumer;

/**
 * A language model Plaza can call. Implementations stream: {@code deltas} receives each piece of
 * text as it arrives, and the call returns when the reply is complete, was cancelled (then
 * {@link ModelResult#cancelled()} is true and the text is what arrived so far), or failed with a
 * {@link ModelException}.
 */
public interface ChatModel {

    ModelResult stream(ModelRequest request, Consumer<String> deltas, Cancellation cancellation);
}
