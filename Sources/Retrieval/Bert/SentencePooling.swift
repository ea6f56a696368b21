/// How the encoder's last hidden states become one sentence vector, as the model folder's
/// `1_Pooling/config.json` says: the mean over the tokens (all-MiniLM-L6-v2, multilingual-e5)
/// or the first token's state (`pooling_mode_cls_token`, bge-m3).
public enum SentencePooling: String, Sendable {
    case mean, cls
}
